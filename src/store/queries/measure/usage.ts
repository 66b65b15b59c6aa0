import type { Queryable } from '../../db.js';

/**
 * Records that something used a segment: `export`, `experiment`, `workflow`, … with an optional
 * reference (the experiment's or workflow's name). The forgotten-segment warning reads the latest use.
 */
export async function recordSegmentUse(db: Queryable, segmentId: string, usedBy: string, ref: string | null, at: Date): Promise<void> {
  await db.run('INSERT INTO segment_usage (segment_id, used_by, ref, used_at) VALUES ($1, $2, $3, $4)', [segmentId, usedBy, ref, at]);
}

export interface LastUse {
  segment_id: string;
  used_by: string;
  ref: string | null;
  used_at: Date;
}

/** The latest recorded use of each segment that was ever used. */
export async function lastSegmentUses(db: Queryable): Promise<LastUse[]> {
  return db.all<LastUse>(
    `SELECT segment_id, arg_max(used_by, used_at) AS used_by, arg_max(ref, used_at) AS ref, max(used_at) AS used_at
     FROM segment_usage GROUP BY segment_id`,
  );
}
