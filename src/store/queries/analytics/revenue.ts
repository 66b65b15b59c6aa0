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

/** One window of revenueWindows: `days` long, starting at `start`, after the period from `previousStart`. */
export interface RevenueWindowBounds {
  readonly days: number;
  readonly start: Date;
  readonly previousStart: Date;
}

/**
 * Net revenue of identified customers in windows ending at asOf and in the periods before them: current
 * in (start, as_of], previous in (previousStart, start]. The caller computes the bounds, so a window of
 * `days` calendar days in the workspace zone may be 23 or 25 hours a day long; in UTC they are
 * as_of − days and as_of − 2·days, the windows of the segment language, (as_of − d, as_of]. Refunds
 * count on the day they were placed, as in customer metrics (docs/metrics.md).
 */
export function revenueWindows(db: Queryable, asOf: Date, windows: readonly RevenueWindowBounds[]): Promise<RevenueWindowRow[]> {
  return db.all<RevenueWindowRow>(
    `WITH d AS (SELECT unnest($2::DOUBLE[])::INTEGER AS days, unnest($3::TIMESTAMP[]) AS start, unnest($4::TIMESTAMP[]) AS previous_start)
     SELECT d.days AS days,
       coalesce(sum(o.revenue) FILTER (WHERE o.placed_at > d.start), 0)::DOUBLE AS current,
       coalesce(sum(o.revenue) FILTER (WHERE o.placed_at <= d.start), 0)::DOUBLE AS previous,
       count(*) FILTER (WHERE o.kind = 'order' AND o.placed_at > d.start) AS orders_current,
       count(*) FILTER (WHERE o.kind = 'order' AND o.placed_at <= d.start) AS orders_previous
     FROM d
     LEFT JOIN orders o ON o.customer_id IS NOT NULL
       AND o.placed_at > d.previous_start AND o.placed_at <= $1::TIMESTAMP
     GROUP BY d.days, d.start, d.previous_start ORDER BY d.days`,
    [asOf, windows.map((w) => w.days), windows.map((w) => w.start), windows.map((w) => w.previousStart)],
  );
}
