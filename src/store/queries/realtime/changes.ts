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

export interface NamedChangeRow extends ChangeRow {
  segment_id: string;
  /** null when the segment has been deleted since */
  segment: string | null;
}

const NAMED = `SELECT h.seq, h.segment_id, s.name AS segment, h.customer_id, h.change, h.changed_at, h.recorded_at
  FROM segment_history h LEFT JOIN segments s ON s.segment_id = h.segment_id`;

/** Entries and exits of every segment (or of one) after a position, in the order recorded, with segment names. */
export async function namedChangesAfter(db: Queryable, after: number, limit: number, segmentId?: string): Promise<NamedChangeRow[]> {
  return segmentId === undefined
    ? db.all<NamedChangeRow>(`${NAMED} WHERE h.seq > $1 ORDER BY h.seq LIMIT $2`, [after, limit])
    : db.all<NamedChangeRow>(`${NAMED} WHERE h.seq > $1 AND h.segment_id = $3 ORDER BY h.seq LIMIT $2`, [after, limit, segmentId]);
}

/** The latest `limit` changes of every segment (or of one), newest first. */
export async function latestNamedChanges(db: Queryable, limit: number, segmentId?: string): Promise<NamedChangeRow[]> {
  return segmentId === undefined
    ? db.all<NamedChangeRow>(`${NAMED} ORDER BY h.seq DESC LIMIT $1`, [limit])
    : db.all<NamedChangeRow>(`${NAMED} WHERE h.segment_id = $2 ORDER BY h.seq DESC LIMIT $1`, [limit, segmentId]);
}
