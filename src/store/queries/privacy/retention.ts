import type { Queryable } from '../../db.js';

/** Deletes the events that happened before `cutoff` (by their own time); returns how many. */
export async function deleteEventsBefore(tx: Queryable, cutoff: Date): Promise<number> {
  const n = (await tx.one<{ n: number }>('SELECT count(*) AS n FROM events WHERE timestamp < $1::TIMESTAMP', [cutoff]))!.n;
  if (n > 0) await tx.run('DELETE FROM events WHERE timestamp < $1::TIMESTAMP', [cutoff]);
  return n;
}

/**
 * Kept by segmint itself in the settings table (never set by hand, not listed by `segmint config`): the
 * latest cutoff before which retention deleted events, and the retention.events_days that made it.
 */
const DELETED_BEFORE = 'retention.deleted_before';

/** What retention has deleted: every event before `cutoff` was removed under `days` days of retention. */
export interface RetentionDeletion {
  readonly cutoff: Date;
  readonly days: number;
}

/**
 * Records that retention deleted the events before `cutoff` (with `days` in force), keeping the latest
 * cutoff ever recorded: a later run with a longer setting does not bring back what an earlier one removed.
 */
export async function recordDeletedBefore(tx: Queryable, cutoff: Date, days: number, at: Date): Promise<void> {
  const before = await deletedBefore(tx);
  if (before && before.cutoff.getTime() >= cutoff.getTime()) return;
  await tx.run(
    `INSERT INTO settings (key, value, secret, updated_at) VALUES ($1, $2, false, $3)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [DELETED_BEFORE, JSON.stringify({ cutoff: cutoff.toISOString(), days }), at],
  );
}

/** The latest deletion retention recorded (recordDeletedBefore), or undefined when it never deleted an event. */
export async function deletedBefore(db: Queryable): Promise<RetentionDeletion | undefined> {
  const row = await db.one<{ value: string }>('SELECT value FROM settings WHERE key = $1', [DELETED_BEFORE]);
  if (!row) return undefined;
  const v = JSON.parse(row.value) as { cutoff: string; days: number };
  return { cutoff: new Date(v.cutoff), days: v.days };
}
