import type { Queryable } from '../db.js';
import { packRows, textColumn } from './identity-columns.js';

export interface OrderRow {
  orderId: string;
  customerId: string | null;
  kind: 'order' | 'refund';
  placedAt: Date;
  revenue: number;
  currency?: string;
  messageId?: string;
  source: string;
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
  if (ids.length === 0) return new Set();
  const list = textColumn(1, ids);
  const rows = await db.all<{ order_id: string }>(`SELECT order_id FROM orders WHERE order_id IN (SELECT ${list.sql})`, [list.param]);
  return new Set(rows.map((r) => r.order_id));
}

/** Inserts orders and their lines; the caller passes only orders not stored yet. */
export async function insertOrders(db: Queryable, orders: readonly OrderRow[], lines: readonly OrderLineRow[]): Promise<void> {
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
