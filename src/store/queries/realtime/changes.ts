import type { Queryable } from '../../db.js';

export interface ChangeRow {
  seq: number;
  customer_id: string;
  change: 'entered' | 'exited';
  changed_at: Date;
  recorded_at: Date;
}

/** A segment's entries and exits after a position of its change stream, in the order recorded. */
export async function changesAfter(db: Queryable, segmentId: string, after: number, limit: number): Promise<ChangeRow[]> {
  return db.all<ChangeRow>(
    `SELECT seq, customer_id, change, changed_at, recorded_at FROM segment_history
     WHERE segment_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [segmentId, after, limit],
  );
}

/** The position of a segment's latest change, 0 when there is none. */
export async function latestSeq(db: Queryable, segmentId: string): Promise<number> {
  const row = await db.one<{ seq: number | null }>('SELECT max(seq) AS seq FROM segment_history WHERE segment_id = $1', [segmentId]);
  return row?.seq ?? 0;
}
