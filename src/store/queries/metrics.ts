import type { Queryable } from '../db.js';
import { placeholderList, POINT_CHUNK, textColumn } from './identity-columns.js';

/** A customer_metrics row as stored (columns as the table's, values as the store reads them). */
export type CustomerMetricsRow = Record<string, unknown> & { customer_id: string };

/**
 * Recomputes customer_metrics (definitions: docs/metrics.md) for every customer, or only for the given
 * ids. One statement over orders and order_lines, so the bulk path after an import and the per-customer
 * path after a live order share one definition.
 *
 * A few customers (a live commit) travel as constants: `customer_id IN (constants)` as the only filter on
 * orders and on customer_metrics is what lets DuckDB look them up in the orders_customer index and the
 * primary key (migration 21) instead of scanning both tables; with `customer_id IS NOT NULL` beside it,
 * or the ids unnested from a list, it scans. Many customers (a large merge) are joined in as one column.
 */
export async function refreshCustomerMetrics(db: Queryable, customerIds?: readonly string[]): Promise<void> {
  if (customerIds === undefined) {
    await db.run('DELETE FROM customer_metrics');
    await db.run(`INSERT INTO customer_metrics ${customerMetricsSelect('')}`);
    return;
  }
  await recompute(db, customerIds, false);
}

/**
 * refreshCustomerMetrics for the given ids, returning each id's row as now stored (undefined: the
 * customer has no orders, so no row), so that a caller needs no second read (a live commit hands them
 * to the real-time engine). The rows come back through RETURNING, which only this caller pays for.
 */
export async function refreshedCustomerMetrics(db: Queryable, customerIds: readonly string[]): Promise<Map<string, CustomerMetricsRow | undefined>> {
  const out = new Map<string, CustomerMetricsRow | undefined>(customerIds.map((id) => [id, undefined]));
  for (const r of await recompute(db, customerIds, true)) out.set(r.customer_id, r);
  return out;
}

/** Deletes and recomputes the ids' rows; with `returning`, gives the new rows back (else none). */
async function recompute(db: Queryable, customerIds: readonly string[], returning: boolean): Promise<CustomerMetricsRow[]> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return [];
  const few = ids.length <= POINT_CHUNK;
  const column = few ? undefined : textColumn(1, ids);
  const list = column ? `SELECT ${column.sql}` : placeholderList(ids.length);
  const params = column ? [column.param] : ids;
  await db.run(`DELETE FROM customer_metrics WHERE customer_id IN (${list})`, params);
  const insert = `INSERT INTO customer_metrics ${metricsSelect(`customer_id IN (${list})`)}`;
  if (!returning) {
    await db.run(insert, params);
    return [];
  }
  return db.all<CustomerMetricsRow>(`${insert} RETURNING *`, params);
}

/**
 * The SELECT computing customer_metrics from the orders that pass `orderFilter` (SQL text of this
 * module's callers, never user input, ANDed to `customer_id IS NOT NULL`), one row per customer, its
 * columns named and ordered as the table's. Measurement uses it with a time bound to read the metrics
 * as they were at a past moment.
 */
export function customerMetricsSelect(orderFilter: string): string {
  return metricsSelect(`customer_id IS NOT NULL ${orderFilter}`);
}

/** customerMetricsSelect over the orders that pass `ordersWhere` (which must exclude a NULL customer_id). */
function metricsSelect(ordersWhere: string): string {
  return `WITH o AS (
       SELECT order_id, customer_id, kind, placed_at, revenue
       FROM orders WHERE ${ordersWhere}
     ),
     per_customer AS (
       SELECT customer_id,
         count(*) FILTER (WHERE kind = 'order') AS orders_count,
         coalesce(sum(revenue) FILTER (WHERE kind = 'order'), 0) AS gross,
         coalesce(-sum(revenue) FILTER (WHERE kind = 'refund'), 0) AS refunded,
         sum(revenue) AS net,
         min(placed_at) FILTER (WHERE kind = 'order') AS first_order_at,
         max(placed_at) FILTER (WHERE kind = 'order') AS last_order_at
       FROM o GROUP BY customer_id
     ),
     bought AS (
       SELECT o.customer_id, l.product_id, l.category, l.amount
       FROM order_lines l JOIN o ON o.order_id = l.order_id
       -- Only products: postage, fees, discounts and adjustments are lines, not things bought.
       WHERE o.kind = 'order' AND l.kind = 'product'
     ),
     products AS (
       SELECT customer_id, count(DISTINCT product_id) AS distinct_products FROM bought GROUP BY customer_id
     ),
     categories AS (
       SELECT customer_id, category, sum(amount) AS spent FROM bought
       WHERE category IS NOT NULL AND category <> '' GROUP BY customer_id, category
     ),
     top AS (
       -- the category with the most spent; ties go to the name that sorts first (the least of
       -- (−spent, category): one aggregate, where a window ranking the names cost a pass of its own)
       SELECT customer_id, arg_min(category, (-spent, category)) AS top_category FROM categories GROUP BY customer_id
     )
     SELECT p.customer_id,
       p.orders_count,
       round(p.gross, 2) AS gross_revenue,
       round(p.refunded, 2) AS refunded,
       round(p.net, 2) AS total_spent,
       CASE WHEN p.orders_count > 0 THEN round(p.gross / p.orders_count, 2) END AS avg_order_value,
       p.first_order_at,
       p.last_order_at,
       CASE WHEN p.orders_count > 1
         THEN (epoch(p.last_order_at) - epoch(p.first_order_at)) / 86400.0 / (p.orders_count - 1) END AS avg_days_between_orders,
       coalesce(pr.distinct_products, 0) AS distinct_products,
       t.top_category,
       now()::TIMESTAMP AS updated_at
     FROM per_customer p
     LEFT JOIN products pr ON pr.customer_id = p.customer_id
     LEFT JOIN top t ON t.customer_id = p.customer_id`;
}

export interface CustomerStats {
  customers: number;
  customers_with_orders: number;
  orders: number;
  net_revenue: number;
}

/** Headline counts of identified customers (guest orders are excluded from orders and revenue). */
export async function customerStats(db: Queryable): Promise<CustomerStats> {
  const row = await db.one<CustomerStats>(
    `SELECT
       (SELECT count(*) FROM customers WHERE merged_into IS NULL) AS customers,
       (SELECT count(*) FROM customer_metrics WHERE orders_count > 0) AS customers_with_orders,
       (SELECT count(*) FROM orders WHERE kind = 'order' AND customer_id IS NOT NULL) AS orders,
       (SELECT coalesce(round(sum(revenue), 2), 0)::DOUBLE FROM orders WHERE customer_id IS NOT NULL) AS net_revenue`,
  );
  return row!;
}
