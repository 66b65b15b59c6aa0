import type { Queryable } from '../db.js';
import { keyLookup, packRows, textColumn, type LookupPlan } from './identity-columns.js';

export interface OrderRow {
  orderId: string;
  customerId: string | null;
  kind: 'order' | 'refund';
  placedAt: Date;
  revenue: number;
  currency?: string;
  messageId?: string;
  source: string;
  /** sent with a browser (public) key: a claim that a trusted source replaces */
  claimedByBrowser?: boolean;
}

export interface OrderLineRow {
  orderId: string;
  lineNo: number;
  productId?: string;
  name?: string;
  category?: string;
  price: number;
  quantity: number;
  amount: number;
  /** what the line is (domain/line-kinds.ts); only products enter product analytics */
  kind: string;
}

export async function storedOrderIds(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
  return new Set((await storedOrders(db, ids)).keys());
}

export interface StoredOrder {
  order_id: string;
  customer_id: string | null;
  claimed_by_browser: boolean;
  source: string;
  message_id: string | null;
}

/**
 * The stored orders among these ids, by id: who has them, from which source, and whether as a browser
 * claim. A live commit's few order ids are looked up in the primary-key index (keyLookup), not by a
 * scan. `plan` forces one plan (tests).
 */
export async function storedOrders(db: Queryable, ids: readonly string[], plan?: LookupPlan): Promise<Map<string, StoredOrder>> {
  return (await storedOrdersAndClaims(db, ids, plan)).orders;
}

/**
 * storedOrders, and which of the ids order_claims lists (a claim of an order deleted since may be
 * left: insertOrders removes it before the id is stored again), in one statement: both tables are
 * looked up by their primary key with the ids as constants, each the only filter of its scan.
 */
export async function storedOrdersAndClaims(db: Queryable, ids: readonly string[], plan?: LookupPlan): Promise<{ orders: Map<string, StoredOrder>; claims: Set<string> }> {
  const rows = await keyLookup<Omit<StoredOrder, 'claimed_by_browser'> & { claim: boolean }>(db, 'orders', ids, storedOrdersSelect, plan);
  const claims = new Set(rows.filter((r) => r.claim).map((r) => r.order_id));
  const orders = new Map<string, StoredOrder>();
  for (const r of rows) {
    if (!r.claim) orders.set(r.order_id, { order_id: r.order_id, customer_id: r.customer_id, claimed_by_browser: claims.has(r.order_id), source: r.source, message_id: r.message_id });
  }
  return { orders, claims };
}

/** The stored orders and claims whose id is IN (`ids`: SQL text of this module, a placeholder list or a SELECT). */
function storedOrdersSelect(ids: string): string {
  return `SELECT order_id, customer_id, source, message_id, false AS claim FROM orders WHERE order_id IN (${ids})
     UNION ALL
     SELECT order_id, NULL, NULL, NULL, true FROM order_claims WHERE order_id IN (${ids})`;
}

/** Removes orders and their lines (a browser claim a trusted source replaces). */
export async function deleteOrders(db: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const list = textColumn(1, ids);
  await db.run(`DELETE FROM order_lines WHERE order_id IN (SELECT ${list.sql})`, [list.param]);
  await db.run(`DELETE FROM orders WHERE order_id IN (SELECT ${list.sql})`, [list.param]);
  await db.run(`DELETE FROM order_claims WHERE order_id IN (SELECT ${list.sql})`, [list.param]);
}

/** Leaves orders to no customer (two browser claims disagree: neither is believed). */
export async function unassignOrders(db: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const list = textColumn(1, ids);
  await db.run(`UPDATE orders SET customer_id = NULL WHERE order_id IN (SELECT ${list.sql})`, [list.param]);
}

export interface OrderConflictRow {
  orderId: string;
  outcome: 'browser_claim_replaced' | 'browser_claim_ignored' | 'browser_claims_disagree' | 'trusted_sources_disagree';
  keptCustomerId: string | null;
  keptSource: string;
  otherCustomerId: string | null;
  otherSource: string;
  otherMessageId?: string | null;
  recordedAt: Date;
}

export async function insertOrderConflicts(db: Queryable, rows: readonly OrderConflictRow[]): Promise<void> {
  if (rows.length === 0) return;
  const q = packRows([
    { name: 'o', type: 'text', values: rows.map((r) => r.orderId) },
    { name: 'oc', type: 'text', values: rows.map((r) => r.outcome) },
    { name: 'kc', type: 'text', values: rows.map((r) => r.keptCustomerId) },
    { name: 'ks', type: 'text', values: rows.map((r) => r.keptSource) },
    { name: 'xc', type: 'text', values: rows.map((r) => r.otherCustomerId) },
    { name: 'xs', type: 'text', values: rows.map((r) => r.otherSource) },
    { name: 'xm', type: 'text', values: rows.map((r) => r.otherMessageId ?? null) },
    { name: 't', type: 'time', values: rows.map((r) => r.recordedAt) },
  ]);
  await db.run(
    `INSERT INTO order_conflicts (order_id, outcome, kept_customer_id, kept_source, other_customer_id, other_source, other_message_id, recorded_at)
     SELECT o, oc, kc, ks, xc, xs, xm, t FROM (${q.select})`,
    q.params,
  );
}

/**
 * Inserts orders and their lines; the caller passes only orders not stored yet. `claimed`, when the
 * caller read it in the same transaction (storedOrdersAndClaims), is which of these ids order_claims
 * lists; without it the claims of all of them are deleted unread.
 */
export async function insertOrders(db: Queryable, orders: readonly OrderRow[], lines: readonly OrderLineRow[], claimed?: ReadonlySet<string>): Promise<void> {
  if (orders.length > 0) {
    const q = packRows([
      { name: 'o', type: 'text', values: orders.map((r) => r.orderId) },
      { name: 'c', type: 'text', values: orders.map((r) => r.customerId) },
      { name: 'k', type: 'text', values: orders.map((r) => r.kind) },
      { name: 't', type: 'time', values: orders.map((r) => r.placedAt) },
      // Amounts travel as text so the DECIMAL gets exactly the digits given.
      { name: 'r', type: 'text', values: orders.map((r) => r.revenue.toFixed(4)) },
      { name: 'cur', type: 'text', values: orders.map((r) => r.currency) },
      { name: 'm', type: 'text', values: orders.map((r) => r.messageId) },
      { name: 'src', type: 'text', values: orders.map((r) => r.source) },
    ]);
    await db.run(
      `INSERT INTO orders (order_id, customer_id, kind, placed_at, revenue, currency, message_id, source)
       SELECT o, c, k, t, r::DECIMAL(18,4), cur, m, src FROM (${q.select})`,
      q.params,
    );
    // Which of them are browser claims (a claim left by an order deleted since must not outlive it).
    const stale = claimed ? orders.map((r) => r.orderId).filter((id) => claimed.has(id)) : orders.map((r) => r.orderId);
    if (stale.length > 0) {
      const ids = textColumn(1, stale);
      await db.run(`DELETE FROM order_claims WHERE order_id IN (SELECT ${ids.sql})`, [ids.param]);
    }
    const claims = orders.filter((r) => r.claimedByBrowser).map((r) => r.orderId);
    if (claims.length > 0) {
      const c = textColumn(1, claims);
      await db.run(`INSERT INTO order_claims SELECT ${c.sql}`, [c.param]);
    }
  }
  if (lines.length > 0) {
    const q = packRows([
      { name: 'o', type: 'text', values: lines.map((r) => r.orderId) },
      { name: 'n', type: 'number', values: lines.map((r) => r.lineNo) },
      { name: 'p', type: 'text', values: lines.map((r) => r.productId) },
      { name: 'nm', type: 'text', values: lines.map((r) => r.name) },
      { name: 'cat', type: 'text', values: lines.map((r) => r.category) },
      { name: 'price', type: 'text', values: lines.map((r) => r.price.toFixed(4)) },
      { name: 'q', type: 'number', values: lines.map((r) => r.quantity) },
      { name: 'a', type: 'text', values: lines.map((r) => r.amount.toFixed(4)) },
      { name: 'k', type: 'text', values: lines.map((r) => r.kind) },
    ]);
    await db.run(
      `INSERT INTO order_lines (order_id, line_no, product_id, name, category, price, quantity, amount, kind)
       SELECT o, n::INTEGER, p, nm, cat, price::DECIMAL(18,4), q, a::DECIMAL(18,4), k FROM (${q.select})`,
      q.params,
    );
  }
}

/**
 * Before an import writes its orders (staged in imp_orders, its lines in imp_lines): browser claims on
 * the same ids are removed, since an import is a trusted source, and every order id the file gives to
 * another customer than the store has is recorded in order_conflicts (browser_claim_replaced, or
 * trusted_sources_disagree when the stored order came from a trusted source and is kept).
 */
export async function settleImportedOrderIds(tx: Queryable, source: string): Promise<void> {
  await tx.run(
    `INSERT INTO order_conflicts (order_id, outcome, kept_customer_id, kept_source, other_customer_id, other_source, other_message_id, recorded_at)
     WITH f AS (SELECT order_id, arg_min(customer_id, line) AS customer_id FROM imp_lines WHERE order_id IS NOT NULL GROUP BY order_id)
     SELECT o.order_id,
       CASE WHEN b THEN 'browser_claim_replaced' ELSE 'trusted_sources_disagree' END,
       CASE WHEN b THEN f.customer_id ELSE o.customer_id END,
       CASE WHEN b THEN $1 ELSE CASE WHEN o.source = 'http' THEN 'http:server' ELSE o.source END END,
       CASE WHEN b THEN o.customer_id ELSE f.customer_id END,
       CASE WHEN b THEN 'http:browser' ELSE $1 END,
       CASE WHEN b THEN o.message_id END,
       now()::TIMESTAMP
     FROM (SELECT *, order_id IN (SELECT order_id FROM order_claims) AS b FROM orders) o JOIN f ON f.order_id = o.order_id
     WHERE o.customer_id IS DISTINCT FROM f.customer_id AND (o.customer_id IS NOT NULL OR b)`,
    [source],
  );
  const claimed = 'SELECT order_id FROM order_claims WHERE order_id IN (SELECT order_id FROM imp_orders)';
  await tx.run(`DELETE FROM order_lines WHERE order_id IN (${claimed})`);
  await tx.run(`DELETE FROM orders WHERE order_id IN (${claimed})`);
  await tx.run(`DELETE FROM order_claims WHERE order_id IN (SELECT order_id FROM imp_orders)`);
}

export interface OrderConflictSummary {
  /** distinct order ids with at least one recorded conflict */
  count: number;
  /** conflicts recorded, by outcome */
  by_outcome: Record<string, number>;
  examples: { order_id: string; outcome: string; kept_customer_id: string | null; kept_source: string; other_customer_id: string | null; other_source: string; recorded_at: Date }[];
}

/** What order_conflicts holds, for the quality report: the latest conflicts first. */
export async function orderConflicts(db: Queryable, limit: number): Promise<OrderConflictSummary> {
  const by = await db.all<{ outcome: string; n: number; orders: number }>(
    'SELECT outcome, count(*) AS n, (SELECT count(DISTINCT order_id) FROM order_conflicts) AS orders FROM order_conflicts GROUP BY outcome ORDER BY outcome',
  );
  const examples = await db.all<OrderConflictSummary['examples'][number]>(
    `SELECT order_id, outcome, kept_customer_id, kept_source, other_customer_id, other_source, recorded_at
     FROM order_conflicts ORDER BY recorded_at DESC, order_id LIMIT $1`,
    [limit],
  );
  return { count: by[0]?.orders ?? 0, by_outcome: Object.fromEntries(by.map((r) => [r.outcome, r.n])), examples };
}
