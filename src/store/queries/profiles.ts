import { emailIdentitiesSql, withCustomerEmail } from './customer-emails.js';
import type { Queryable } from '../db.js';

export interface CustomerRow {
  customer_id: string;
  created_at: Date;
  updated_at: Date;
  traits: string;
}

export function customerRow(db: Queryable, id: string): Promise<CustomerRow | undefined> {
  return db.one<CustomerRow>('SELECT customer_id, created_at, updated_at, traits::VARCHAR AS traits FROM customers WHERE customer_id = $1', [id]);
}

export interface IdentityRow {
  kind: string;
  value: string;
  first_seen_at: Date;
}

export function customerIdentities(db: Queryable, id: string): Promise<IdentityRow[]> {
  return db.all<IdentityRow>('SELECT kind, value, first_seen_at FROM identities WHERE customer_id = $1 ORDER BY kind, value', [id]);
}

export interface MetricsRow {
  orders_count: number;
  gross_revenue: number;
  refunded: number;
  total_spent: number;
  avg_order_value: number | null;
  first_order_at: Date | null;
  last_order_at: Date | null;
  days_since_last_order: number | null;
  avg_days_between_orders: number | null;
  distinct_products: number;
  top_category: string | null;
}

/** Stored metrics plus days_since_last_order, which depends on the as-of time and so is never stored. */
export function customerMetrics(db: Queryable, id: string, asOf: Date): Promise<MetricsRow | undefined> {
  return db.one<MetricsRow>(
    `SELECT orders_count, gross_revenue::DOUBLE AS gross_revenue, refunded::DOUBLE AS refunded,
       total_spent::DOUBLE AS total_spent, avg_order_value::DOUBLE AS avg_order_value, first_order_at, last_order_at,
       (epoch($2::TIMESTAMP) - epoch(last_order_at)) / 86400.0 AS days_since_last_order,
       avg_days_between_orders, distinct_products, top_category
     FROM customer_metrics WHERE customer_id = $1`,
    [id, asOf],
  );
}

export interface ConsentRow {
  channel: string;
  status: string;
  updated_at: Date;
  source: string;
}

export function customerConsent(db: Queryable, id: string): Promise<ConsentRow[]> {
  return db.all<ConsentRow>('SELECT channel, status, updated_at, source FROM consent WHERE customer_id = $1 ORDER BY channel', [id]);
}

export interface EventRow {
  message_id: string;
  type: string;
  event: string | null;
  timestamp: Date;
  source: string;
  properties: string | null;
  /** the revenue of the order (or refund) this event stored, as stored; null for other events */
  order_revenue: number | null;
}

/**
 * The customer's latest events, newest first (ties by message id, so the list is stable), each with
 * the revenue of the order it stored: an import and a live event may read an order's amount by
 * different rules (docs/importing.md, docs/api.md), and the stored amount is the one every total uses.
 */
export function recentEvents(db: Queryable, id: string, limit: number): Promise<EventRow[]> {
  return db.all<EventRow>(
    `SELECT e.message_id, e.type, e.event, e.timestamp, e.source, e.properties::VARCHAR AS properties, o.revenue::DOUBLE AS order_revenue
     FROM (SELECT * FROM events WHERE customer_id = $1 ORDER BY timestamp DESC, message_id DESC LIMIT $2) e
     LEFT JOIN orders o ON o.message_id = e.message_id
     ORDER BY e.timestamp DESC, e.message_id DESC`,
    [id, limit],
  );
}

export interface CustomerListRow {
  customer_id: string;
  traits: string;
  orders_count: number;
  total_spent: number;
  last_order_at: Date | null;
  user_id: string | null;
  email: string | null;
}

/** Customers by net spend, largest first, with one user_id and their email in force (customerEmail) each for display. */
export async function listCustomers(db: Queryable, limit: number, offset: number): Promise<CustomerListRow[]> {
  const rows = await db.all<Omit<CustomerListRow, 'email'> & { emails: string[] | null }>(
    `SELECT c.customer_id, c.traits::VARCHAR AS traits, coalesce(m.orders_count, 0) AS orders_count,
       coalesce(m.total_spent, 0)::DOUBLE AS total_spent, m.last_order_at,
       (SELECT min(value) FROM identities i WHERE i.customer_id = c.customer_id AND kind = 'user_id') AS user_id,
       ${emailIdentitiesSql('c.customer_id')} AS emails
     FROM customers c LEFT JOIN customer_metrics m USING (customer_id)
     WHERE c.merged_into IS NULL
     ORDER BY total_spent DESC, c.customer_id LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
  return withCustomerEmail(rows);
}
