import type { Queryable } from '../../db.js';

export type CohortUnit = 'month' | 'week';

export interface CohortCellRow {
  /** Start of the acquisition period, YYYY-MM-DD. */
  readonly cohort: string;
  /** Start of the activity period, YYYY-MM-DD. */
  readonly period: string;
  readonly active: number;
  readonly orders: number;
  readonly revenue: number;
}

export interface CohortSizeRow {
  readonly cohort: string;
  readonly customers: number;
}

/**
 * The local wall-clock time of a stored (UTC) timestamp in the zone bound to $3, so that truncation finds
 * the zone's day, week and month (DuckDB's ICU rules; the store's session zone is UTC). The zone is a
 * parameter, never SQL text; in UTC the stored time is already the wall-clock time, and the conversion
 * (which costs up to twice the query time) is left out.
 */
const LOCAL = (col: string, tz: string) => (tz === 'UTC' ? col : `timezone($3, (${col})::TIMESTAMPTZ)`);
const TRUNC = (col: string, tz: string) =>
  `CASE WHEN $1 = 'week' THEN date_trunc('week', ${LOCAL(col, tz)}) ELSE date_trunc('month', ${LOCAL(col, tz)}) END`;
/** The parameters of the queries below: $3, the zone, only where LOCAL uses it. */
const params = (unit: CohortUnit, until: Date, tz: string) => (tz === 'UTC' ? [unit, until] : [unit, until, tz]);

/**
 * Acquisition cohorts: a customer belongs to the period (month, or ISO week from Monday) of their first
 * order, periods being those of the calendar of the IANA zone `tz` (labels are local dates). For each cohort and later period: customers with an order in it, orders, and net revenue
 * (orders minus cancellations placed in that period). A cancellation dated before the first order
 * counts in period 0.
 */
export async function cohortCells(db: Queryable, unit: CohortUnit, until: Date, tz = 'UTC'): Promise<CohortCellRow[]> {
  return db.all<CohortCellRow>(
    `WITH o AS (SELECT customer_id, kind, placed_at, revenue FROM orders WHERE customer_id IS NOT NULL AND placed_at < $2::TIMESTAMP),
     firsts AS (SELECT customer_id, ${TRUNC('min(placed_at)', tz)} AS cohort FROM o WHERE kind = 'order' GROUP BY customer_id),
     cells AS (
       SELECT o.customer_id, o.kind, o.revenue, f.cohort, ${TRUNC('o.placed_at', tz)} AS period
       FROM o JOIN firsts f ON f.customer_id = o.customer_id
     )
     SELECT strftime(cohort, '%Y-%m-%d') AS cohort, strftime(greatest(period, cohort), '%Y-%m-%d') AS period,
       count(DISTINCT customer_id) FILTER (WHERE kind = 'order') AS active,
       count(*) FILTER (WHERE kind = 'order') AS orders,
       sum(revenue)::DOUBLE AS revenue
     FROM cells GROUP BY ALL ORDER BY cohort, period`,
    params(unit, until, tz),
  );
}

/** Customers acquired in each period of the zone `tz` (by their first order before `until`). */
export function cohortSizes(db: Queryable, unit: CohortUnit, until: Date, tz = 'UTC'): Promise<CohortSizeRow[]> {
  return db.all<CohortSizeRow>(
    `SELECT strftime(${TRUNC('first_at', tz)}, '%Y-%m-%d') AS cohort, count(*) AS customers
     FROM (SELECT customer_id, min(placed_at) AS first_at FROM orders
           WHERE customer_id IS NOT NULL AND kind = 'order' AND placed_at < $2::TIMESTAMP GROUP BY customer_id)
     GROUP BY ALL ORDER BY cohort`,
    params(unit, until, tz),
  );
}

/**
 * The period of the latest order before `until` and the day after it (data are complete up to that
 * midnight), with the period of the earliest order (where the first cohort starts): local dates of `tz`.
 */
export async function dataEnd(db: Queryable, unit: CohortUnit, until: Date, tz = 'UTC'): Promise<{ first: string; period: string; end: string } | undefined> {
  const row = await db.one<{ first: string | null; period: string | null; end: string | null }>(
    `SELECT strftime(${TRUNC('min(placed_at)', tz)}, '%Y-%m-%d') AS first, strftime(${TRUNC('max(placed_at)', tz)}, '%Y-%m-%d') AS period,
       strftime(date_trunc('day', ${LOCAL('max(placed_at)', tz)}) + INTERVAL 1 DAY, '%Y-%m-%d') AS "end"
     FROM orders WHERE customer_id IS NOT NULL AND kind = 'order' AND placed_at < $2::TIMESTAMP`,
    params(unit, until, tz),
  );
  return row?.first && row.period && row.end ? { first: row.first, period: row.period, end: row.end } : undefined;
}
