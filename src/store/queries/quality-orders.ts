import type { Queryable } from '../db.js';
import type { CountWithExamples } from './quality-customers.js';

export interface GuestLines {
  lines: number;
  orders: number;
  all_lines: number;
}

/** Order lines (and orders) that belong to no customer: guest checkouts, or rows without an id. */
export async function linesWithoutCustomer(db: Queryable): Promise<GuestLines> {
  const r = await db.one<GuestLines>(
    `SELECT count(*) FILTER (WHERE o.customer_id IS NULL) AS lines,
       count(DISTINCT o.order_id) FILTER (WHERE o.customer_id IS NULL) AS orders, count(*) AS all_lines
     FROM order_lines l JOIN orders o USING (order_id)`,
  );
  return r!;
}

export interface PricedLine {
  order_id: string;
  product_id: string | null;
  name: string | null;
  price: number;
  quantity: number | null;
}

// Product lines of sales: cancellations, lines of another kind (shipping, fees, discounts, bad-debt and
// other adjustments: docs/importing.md, line kinds) and refund adjustments without a product id are
// negative by design.
const PRODUCT_LINES = `order_lines l JOIN orders o USING (order_id) WHERE o.kind = 'order' AND l.kind = 'product' AND l.product_id IS NOT NULL`;

/** Product lines of sales with a price of zero or below (free gifts, bad-debt adjustments, typing errors). */
export async function nonPositivePrices(
  db: Queryable,
  limit: number,
): Promise<CountWithExamples<PricedLine> & { zero: number; negative: number; lines: number }> {
  const c = await db.one<{ zero: number; negative: number; lines: number }>(
    `SELECT count(*) FILTER (WHERE price = 0) AS zero, count(*) FILTER (WHERE price < 0) AS negative, count(*) AS lines FROM ${PRODUCT_LINES}`,
  );
  const examples = await db.all<PricedLine>(
    `SELECT order_id, product_id, name, price::DOUBLE AS price, quantity FROM ${PRODUCT_LINES} AND price <= 0
     ORDER BY price, order_id, line_no LIMIT $1`,
    [limit],
  );
  return { count: c!.zero + c!.negative, zero: c!.zero, negative: c!.negative, lines: c!.lines, examples };
}

export interface Cancellation {
  order_id: string;
  customer_id: string | null;
  placed_at: Date;
  revenue: number;
}

/**
 * Cancellations (kind refund) that match no earlier purchase. A cancellation matches when the order it
 * refunds exists (`<id>/refund` → `<id>`), or when its customer has an order placed at or before it
 * that contains one of its products. Guest cancellations never match: nobody to match them to.
 */
export async function unmatchedCancellations(db: Queryable, limit: number): Promise<CountWithExamples<Cancellation> & { cancellations: number }> {
  const rows = await db.all<Cancellation & { total: number; cancellations: number }>(
    `WITH r AS (SELECT * FROM orders WHERE kind = 'refund'),
     by_id AS (
       SELECT r.order_id FROM r JOIN orders o ON o.kind = 'order' AND ends_with(r.order_id, '/refund')
         AND o.order_id = left(r.order_id, length(r.order_id) - 7)
     ),
     first_bought AS (
       SELECT o.customer_id, l.product_id, min(o.placed_at) AS at FROM orders o JOIN order_lines l USING (order_id)
       WHERE o.kind = 'order' AND o.customer_id IS NOT NULL AND l.product_id IS NOT NULL GROUP BY ALL
     ),
     by_product AS (
       SELECT DISTINCT r.order_id FROM r
       JOIN order_lines rl ON rl.order_id = r.order_id
       JOIN first_bought b ON b.customer_id = r.customer_id AND b.product_id = rl.product_id AND b.at <= r.placed_at
     ),
     unmatched AS (
       SELECT * FROM r WHERE order_id NOT IN (SELECT order_id FROM by_id) AND order_id NOT IN (SELECT order_id FROM by_product)
     )
     SELECT order_id, customer_id, placed_at, revenue::DOUBLE AS revenue,
       (SELECT count(*) FROM unmatched) AS total, (SELECT count(*) FROM r) AS cancellations
     FROM unmatched ORDER BY placed_at, order_id LIMIT $1`,
    [limit],
  );
  const totals = rows[0] ?? (await db.one<{ total: number; cancellations: number }>("SELECT 0 AS total, count(*) AS cancellations FROM orders WHERE kind = 'refund'"))!;
  return { count: totals.total, cancellations: totals.cancellations, examples: rows.map(({ total: _t, cancellations: _c, ...r }) => r) };
}

export interface FutureEvent {
  message_id: string;
  event: string | null;
  timestamp: Date;
}

/** Events dated after asOf: clocks set wrong, or dates read in the wrong format; out of every event. Examples: the latest first. */
export function futureEvents(db: Queryable, asOf: Date, limit: number): Promise<CountWithExamples<FutureEvent> & { events: number }> {
  return eventsDated(db, 'after', asOf, limit);
}

/**
 * Events dated before `before`: a zero read as a date (the Unix epoch, 1970-01-01) or a two-digit year put in
 * the wrong century; out of every event. Examples: the earliest first.
 */
export function ancientEvents(db: Queryable, before: Date, limit: number): Promise<CountWithExamples<FutureEvent> & { events: number }> {
  return eventsDated(db, 'before', before, limit);
}

/** Events dated after (or before) a moment, with the first `limit` of them, farthest from it first; and how many events there are. */
async function eventsDated(db: Queryable, side: 'after' | 'before', at: Date, limit: number): Promise<CountWithExamples<FutureEvent> & { events: number }> {
  // The two statements differ only in fixed text chosen here; the moment and the limit are parameters.
  const [op, order] = side === 'after' ? ['>', 'DESC'] : ['<', 'ASC'];
  const rows = await db.all<FutureEvent & { total: number }>(
    `WITH f AS (SELECT message_id, event, timestamp FROM events WHERE timestamp ${op} $1::TIMESTAMP)
     SELECT *, (SELECT count(*) FROM f) AS total FROM f ORDER BY timestamp ${order}, message_id LIMIT $2`,
    [at, limit],
  );
  const all = await db.one<{ n: number }>('SELECT count(*) AS n FROM events');
  return { count: rows[0]?.total ?? 0, events: all?.n ?? 0, examples: rows.map(({ total: _t, ...r }) => r) };
}

export interface RevenueOutliers {
  orders: number;
  q1: number | null;
  q3: number | null;
  low_fence: number | null;
  high_fence: number | null;
  count: number;
  examples: { order_id: string; customer_id: string | null; revenue: number }[];
}

/**
 * Orders (not cancellations) whose revenue lies outside Tukey's far-out fences, [Q1 − 3·IQR, Q3 + 3·IQR],
 * with the quartiles taken over all orders. Examples: the largest deviations first.
 */
export async function revenueOutliers(db: Queryable, limit: number): Promise<RevenueOutliers> {
  const f = await db.one<{ orders: number; q1: number | null; q3: number | null }>(
    `SELECT count(*) AS orders, quantile_cont(revenue::DOUBLE, 0.25) AS q1, quantile_cont(revenue::DOUBLE, 0.75) AS q3
     FROM orders WHERE kind = 'order'`,
  );
  if (!f || f.q1 === null || f.q3 === null) {
    return { orders: f?.orders ?? 0, q1: null, q3: null, low_fence: null, high_fence: null, count: 0, examples: [] };
  }
  const iqr = f.q3 - f.q1;
  const low = f.q1 - 3 * iqr;
  const high = f.q3 + 3 * iqr;
  const c = await db.one<{ n: number }>(
    "SELECT count(*) AS n FROM orders WHERE kind = 'order' AND (revenue::DOUBLE < $1 OR revenue::DOUBLE > $2)",
    [low, high],
  );
  const examples = await db.all<{ order_id: string; customer_id: string | null; revenue: number }>(
    `SELECT order_id, customer_id, revenue::DOUBLE AS revenue FROM orders
     WHERE kind = 'order' AND (revenue::DOUBLE < $1 OR revenue::DOUBLE > $2)
     ORDER BY greatest(revenue::DOUBLE - $2, $1 - revenue::DOUBLE) DESC, order_id LIMIT $3`,
    [low, high, limit],
  );
  return { orders: f.orders, q1: f.q1, q3: f.q3, low_fence: low, high_fence: high, count: c!.n, examples };
}

/**
 * Orders (not cancellations) whose lines sum below zero: returns booked as sales, adjustments. `orders`
 * is the base the share is taken of: orders of kind 'order' only, since cancellations cannot be
 * counted here.
 */
export async function negativeOrders(
  db: Queryable,
  limit: number,
): Promise<CountWithExamples<{ order_id: string; revenue: number }> & { orders: number }> {
  const rows = await db.all<{ order_id: string; revenue: number; total: number }>(
    `WITH n AS (SELECT order_id, revenue::DOUBLE AS revenue FROM orders WHERE kind = 'order' AND revenue < 0)
     SELECT *, (SELECT count(*) FROM n) AS total FROM n ORDER BY revenue, order_id LIMIT $1`,
    [limit],
  );
  const base = await db.one<{ n: number }>("SELECT count(*) AS n FROM orders WHERE kind = 'order'");
  return { count: rows[0]?.total ?? 0, orders: base?.n ?? 0, examples: rows.map(({ total: _t, ...r }) => r) };
}
