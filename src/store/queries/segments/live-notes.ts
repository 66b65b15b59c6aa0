import type { Queryable } from '../../db.js';
import { textColumn } from '../identity-columns.js';

/**
 * What a running server decided about keeping segments live, recorded where it decides it
 * (realtime/engine/definitions.ts): each refused segment with its reason and the moment of the judgement
 * (of the definition saved then), and every other judged segment cleared (migration 30).
 */
export async function recordLiveRefusals(db: Queryable, refused: readonly { segmentId: string; reason: string }[], now: Date): Promise<void> {
  const ids = textColumn(1, refused.map((r) => r.segmentId));
  await db.run(`DELETE FROM segment_live_refusals WHERE segment_id NOT IN (SELECT ${ids.sql})`, [ids.param]);
  if (refused.length === 0) return;
  const reasons = textColumn(2, refused.map((r) => r.reason));
  await db.run(
    `INSERT INTO segment_live_refusals SELECT ${ids.sql}, ${reasons.sql}, $3::TIMESTAMP
     ON CONFLICT (segment_id) DO UPDATE SET reason = excluded.reason, decided_at = excluded.decided_at`,
    [ids.param, reasons.param, now],
  );
}

/**
 * A segment's definition changed at `at`: members stored before `at` are the old definition's, and a
 * refusal decided before `at` was of the old definition: readers no longer report it (the next server
 * judges the new one), but its row stays, since it still says the engine has not written the segment's
 * members since it was decided (SegmentRecord.live_refused; segments/manage/history.ts).
 */
export async function markDefinitionChanged(db: Queryable, segmentId: string, at: Date): Promise<void> {
  await db.run(
    `INSERT INTO segment_definition_changes VALUES ($1, $2)
     ON CONFLICT (segment_id) DO UPDATE SET changed_at = excluded.changed_at`,
    [segmentId, at],
  );
}

/** Removes what was noted about a deleted segment. */
export async function deleteLiveNotes(db: Queryable, segmentId: string): Promise<void> {
  await db.run('DELETE FROM segment_live_refusals WHERE segment_id = $1', [segmentId]);
  await db.run('DELETE FROM segment_definition_changes WHERE segment_id = $1', [segmentId]);
}
