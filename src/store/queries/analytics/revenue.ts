import type { Queryable } from '../../db.js';

export interface RevenueWindowRow {
  days: number;
  /** net revenue (orders minus refunds) placed in (as_of − days, as_of] */
  current: number;
  /** the same in the period before: (as_of − 2·days, as_of − days] */
  previous: number;
  orders_current: number;
  orders_previous: number;
}

/**
 * Net revenue of identified customers in windows ending at asOf and in the equally long periods before
 * them. Windows follow the segment language: (as_of − d, as_of]. Refunds count on the day they were
 * placed, as in customer metrics (docs/metrics.md).
 */
export function revenueWindows(db: Queryable, asOf: Date, days: readonly number[]): Promise<RevenueWindowRow[]> {
  return db.all<RevenueWindowRow>(
    `SELECT d.days::INTEGER AS days,
       coalesce(sum(o.revenue) FILTER (WHERE o.placed_at > $1::TIMESTAMP - to_days(d.days::INTEGER)), 0)::DOUBLE AS current,
       coalesce(sum(o.revenue) FILTER (WHERE o.placed_at <= $1::TIMESTAMP - to_days(d.days::INTEGER)), 0)::DOUBLE AS previous,
       count(*) FILTER (WHERE o.kind = 'order' AND o.placed_at > $1::TIMESTAMP - to_days(d.days::INTEGER)) AS orders_current,
       count(*) FILTER (WHERE o.kind = 'order' AND o.placed_at <= $1::TIMESTAMP - to_days(d.days::INTEGER)) AS orders_previous
     FROM (SELECT unnest($2::DOUBLE[]) AS days) d
     LEFT JOIN orders o ON o.customer_id IS NOT NULL
       AND o.placed_at > $1::TIMESTAMP - to_days(2 * d.days::INTEGER) AND o.placed_at <= $1::TIMESTAMP
     GROUP BY d.days ORDER BY d.days`,
    [asOf, [...days]],
  );
}
