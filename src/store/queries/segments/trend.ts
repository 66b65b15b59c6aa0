import type { Queryable } from '../../db.js';

export interface SegmentRunRow {
  segment_id: string;
  changed_at: Date;
  recorded_at: Date;
  entered: number;
  exited: number;
}

/**
 * Every recorded refresh run of every segment that changed membership, in the order they ran:
 * the sizes over time follow by adding entries and subtracting exits.
 */
export function segmentRuns(db: Queryable): Promise<SegmentRunRow[]> {
  return db.all<SegmentRunRow>(
    `SELECT segment_id, changed_at, recorded_at,
       count(*) FILTER (WHERE change = 'entered') AS entered,
       count(*) FILTER (WHERE change = 'exited') AS exited
     FROM segment_history GROUP BY segment_id, changed_at, recorded_at
     ORDER BY segment_id, recorded_at, changed_at`,
  );
}
