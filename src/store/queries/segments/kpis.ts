import type { Queryable } from '../../db.js';

export interface SegmentKpiRow {
  members: number;
  base: number;
  buyers: number;
  net_revenue: number;
  orders: number;
  avg_spent: number | null;
  email_consented: number;
}

/**
 * Headline figures of a segment's current members (as of its last refresh): how many, of what base,
 * how many bought, their net spend and orders, and how many may be emailed (consent granted).
 */
export async function segmentKpiRow(db: Queryable, segmentId: string): Promise<SegmentKpiRow> {
  const row = await db.one<SegmentKpiRow>(
    `SELECT count(*) AS members,
       (SELECT count(*) FROM customers WHERE merged_into IS NULL) AS base,
       count(*) FILTER (WHERE coalesce(m.orders_count, 0) > 0) AS buyers,
       coalesce(sum(m.total_spent), 0)::DOUBLE AS net_revenue,
       coalesce(sum(m.orders_count), 0)::DOUBLE AS orders,
       avg(coalesce(m.total_spent, 0))::DOUBLE AS avg_spent,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM consent c WHERE c.customer_id = s.customer_id AND c.channel = 'email' AND c.status = 'granted')) AS email_consented
     FROM segment_members s LEFT JOIN customer_metrics m USING (customer_id)
     WHERE s.segment_id = $1`,
    [segmentId],
  );
  return row!;
}
