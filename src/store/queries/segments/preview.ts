import type { Queryable } from '../../db.js';

export interface SampleRow {
  customer_id: string;
  traits: string | null;
  orders_count: number | null;
  total_spent: number | null;
  last_order_at: Date | null;
}

/**
 * A few staged members with their traits and headline metrics. Customer ids are hashes, so ordering by
 * them gives a spread-out sample that is still the same on every run.
 */
export async function sampleStaged(tx: Queryable, limit: number): Promise<SampleRow[]> {
  return tx.all<SampleRow>(
    `SELECT s.customer_id, c.traits::VARCHAR AS traits, m.orders_count, m.total_spent::DOUBLE AS total_spent, m.last_order_at
     FROM (SELECT customer_id FROM segment_staged ORDER BY customer_id LIMIT $1) s
     LEFT JOIN customers c ON c.customer_id = s.customer_id
     LEFT JOIN customer_metrics m ON m.customer_id = s.customer_id
     ORDER BY s.customer_id`,
    [limit],
  );
}

export interface OverlapRow {
  segment_id: string;
  name: string;
  size: number;
  shared: number;
}

/** For every saved segment with members: its size and how many of them are also staged. */
export async function overlapWithStaged(tx: Queryable): Promise<OverlapRow[]> {
  return tx.all<OverlapRow>(
    `SELECT s.segment_id, s.name, count(*) AS size, count(n.customer_id) AS shared
     FROM segment_members m
     JOIN segments s ON s.segment_id = m.segment_id
     LEFT JOIN segment_staged n ON n.customer_id = m.customer_id
     GROUP BY s.segment_id, s.name ORDER BY s.name`,
  );
}
