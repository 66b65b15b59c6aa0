import type { Queryable } from '../db.js';

/**
 * What is known about a customer at a cutoff, read only from orders and events at or before it (so a
 * model trained on these never sees the period it predicts). Gaps are in days; missing = null.
 */
export interface RawFeatureRow {
  customer_id: string;
  recency_days: number;
  tenure_days: number;
  orders: number;
  net_spend: number;
  mean_gap_days: number | null;
  last_gap_days: number | null;
  orders_90d: number;
  orders_prev_90d: number;
  products: number;
  categories: number;
  email_opens_30d: number;
  email_clicks_30d: number;
  product_views_30d: number;
}

// Segment-spec names of the engagement events, compared in lower case.
const OPENS = ['email opened'];
const CLICKS = ['email link clicked', 'email clicked'];
const VIEWS = ['product viewed'];

/**
 * Features at `cutoff` for every customer with at least one order at or before it, or only for the given
 * ids. An order is a row of orders with kind = 'order'; refunds count only towards net spend.
 */
export async function propensityFeatures(
  db: Queryable,
  cutoff: Date,
  customerIds?: readonly string[],
): Promise<RawFeatureRow[]> {
  const scoped = customerIds !== undefined;
  if (scoped && customerIds.length === 0) return [];
  const params = [cutoff, scoped ? customerIds : null, OPENS, CLICKS, VIEWS];
  return db.all<RawFeatureRow>(
    `WITH o AS (
       SELECT order_id, customer_id, kind, placed_at, revenue FROM orders
       WHERE customer_id IS NOT NULL AND placed_at <= $1::TIMESTAMP
         AND ($2::VARCHAR[] IS NULL OR customer_id IN (SELECT unnest($2::VARCHAR[])))
     ),
     buys AS (SELECT order_id, customer_id, placed_at FROM o WHERE kind = 'order'),
     ranked AS (
       SELECT customer_id, placed_at,
         row_number() OVER (PARTITION BY customer_id ORDER BY placed_at DESC, order_id DESC) AS k
       FROM buys
     ),
     per AS (
       SELECT customer_id, count(*) AS n, min(placed_at) AS first_at, max(placed_at) AS last_at,
         count(*) FILTER (WHERE placed_at > $1::TIMESTAMP - INTERVAL 90 DAY) AS n90,
         count(*) FILTER (WHERE placed_at > $1::TIMESTAMP - INTERVAL 180 DAY
                            AND placed_at <= $1::TIMESTAMP - INTERVAL 90 DAY) AS nprev90
       FROM buys GROUP BY customer_id
     ),
     prev AS (SELECT customer_id, placed_at AS prev_at FROM ranked WHERE k = 2),
     money AS (SELECT customer_id, sum(revenue)::DOUBLE AS net FROM o GROUP BY customer_id),
     breadth AS (
       SELECT b.customer_id, count(DISTINCT l.product_id) AS products,
         count(DISTINCT nullif(l.category, '')) AS categories
       FROM buys b JOIN order_lines l ON l.order_id = b.order_id GROUP BY b.customer_id
     ),
     engagement AS (
       SELECT customer_id,
         count(*) FILTER (WHERE lower(event) IN (SELECT unnest($3::VARCHAR[]))) AS opens,
         count(*) FILTER (WHERE lower(event) IN (SELECT unnest($4::VARCHAR[]))) AS clicks,
         count(*) FILTER (WHERE lower(event) IN (SELECT unnest($5::VARCHAR[]))) AS views
       FROM events
       WHERE customer_id IS NOT NULL AND event IS NOT NULL
         AND timestamp > $1::TIMESTAMP - INTERVAL 30 DAY AND timestamp <= $1::TIMESTAMP
       GROUP BY customer_id
     )
     SELECT p.customer_id,
       (epoch($1::TIMESTAMP) - epoch(p.last_at)) / 86400.0 AS recency_days,
       (epoch($1::TIMESTAMP) - epoch(p.first_at)) / 86400.0 AS tenure_days,
       p.n AS orders,
       coalesce(m.net, 0) AS net_spend,
       CASE WHEN p.n > 1 THEN (epoch(p.last_at) - epoch(p.first_at)) / 86400.0 / (p.n - 1) END AS mean_gap_days,
       CASE WHEN p.n > 1 THEN (epoch(p.last_at) - epoch(pr.prev_at)) / 86400.0 END AS last_gap_days,
       p.n90 AS orders_90d,
       p.nprev90 AS orders_prev_90d,
       coalesce(b.products, 0) AS products,
       coalesce(b.categories, 0) AS categories,
       coalesce(e.opens, 0) AS email_opens_30d,
       coalesce(e.clicks, 0) AS email_clicks_30d,
       coalesce(e.views, 0) AS product_views_30d
     FROM per p
     LEFT JOIN prev pr ON pr.customer_id = p.customer_id
     LEFT JOIN money m ON m.customer_id = p.customer_id
     LEFT JOIN breadth b ON b.customer_id = p.customer_id
     LEFT JOIN engagement e ON e.customer_id = p.customer_id
     ORDER BY p.customer_id`,
    params,
  );
}

/** Ids of customers with an order in (from, to]: the label window after a cutoff. */
export async function purchasersBetween(db: Queryable, from: Date, to: Date): Promise<Set<string>> {
  const rows = await db.all<{ customer_id: string }>(
    `SELECT DISTINCT customer_id FROM orders
     WHERE customer_id IS NOT NULL AND kind = 'order' AND placed_at > $1::TIMESTAMP AND placed_at <= $2::TIMESTAMP`,
    [from, to],
  );
  return new Set(rows.map((r) => r.customer_id));
}

/** First and last order time in the store (orders of identified customers), or undefined when empty. */
export async function orderTimeRange(db: Queryable): Promise<{ first: Date; last: Date } | undefined> {
  const row = await db.one<{ first: Date | null; last: Date | null }>(
    `SELECT min(placed_at) AS first, max(placed_at) AS last FROM orders WHERE customer_id IS NOT NULL AND kind = 'order'`,
  );
  return row?.first && row.last ? { first: row.first, last: row.last } : undefined;
}
