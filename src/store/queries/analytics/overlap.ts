import type { Queryable } from '../../db.js';

export interface SegmentSizeRow {
  readonly segment_id: string;
  readonly name: string;
  readonly members: number;
}

export interface SegmentPairRow {
  readonly a: string;
  readonly b: string;
  readonly both: number;
}

/** Every saved segment with its current member count (zero for an empty one), by name. */
export function segmentSizes(db: Queryable): Promise<SegmentSizeRow[]> {
  return db.all<SegmentSizeRow>(
    `SELECT s.segment_id, s.name, count(m.customer_id) AS members
     FROM segments s LEFT JOIN segment_members m ON m.segment_id = s.segment_id
     GROUP BY s.segment_id, s.name ORDER BY s.name, s.segment_id`,
  );
}

/**
 * Customers in both segments, for every pair that shares at least one (a < b by id). One self-join on
 * customer_id: the cost follows the members actually shared, not segments².
 */
export function segmentPairCounts(db: Queryable): Promise<SegmentPairRow[]> {
  return db.all<SegmentPairRow>(
    `SELECT x.segment_id AS a, y.segment_id AS b, count(*) AS both
     FROM segment_members x JOIN segment_members y ON x.customer_id = y.customer_id AND x.segment_id < y.segment_id
     JOIN segments sa ON sa.segment_id = x.segment_id
     JOIN segments sb ON sb.segment_id = y.segment_id
     GROUP BY 1, 2`,
  );
}
