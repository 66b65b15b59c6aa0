import { emailIdentitiesSql, withCustomerEmail } from '../customer-emails.js';
import type { Queryable } from '../../db.js';

export interface DemoCounts {
  customers: number;
  identified: number;
  anonymous_only: number;
  buyers: number;
  repeat_buyers: number;
  orders: number;
  refunds: number;
  order_lines: number;
  net_revenue: number;
  events: number;
  identities: number;
  consent_rows: number;
  email_consent_granted: number;
  /** Customers with an email consent answer at all: the base of email_consent_granted. */
  email_consent_asked: number;
  abandoned_checkouts: number;
  first_event_at: Date | null;
  last_event_at: Date | null;
}

/**
 * Headline numbers of the demo data, read back from the store (not from the generator), so what is
 * printed is what is there. An abandoned checkout is a Checkout Started with no Order Completed by the
 * same customer in the hour after it.
 */
export async function demoCounts(db: Queryable): Promise<DemoCounts> {
  const row = await db.one<DemoCounts>(
    `SELECT
       (SELECT count(*) FROM customers WHERE merged_into IS NULL) AS customers,
       (SELECT count(DISTINCT customer_id) FROM identities WHERE kind = 'user_id') AS identified,
       (SELECT count(*) FROM customers c WHERE NOT EXISTS
          (SELECT 1 FROM identities i WHERE i.customer_id = c.customer_id AND i.kind <> 'anonymous_id')) AS anonymous_only,
       (SELECT count(*) FROM customer_metrics WHERE orders_count > 0) AS buyers,
       (SELECT count(*) FROM customer_metrics WHERE orders_count > 1) AS repeat_buyers,
       (SELECT count(*) FROM orders WHERE kind = 'order') AS orders,
       (SELECT count(*) FROM orders WHERE kind = 'refund') AS refunds,
       (SELECT count(*) FROM order_lines) AS order_lines,
       (SELECT coalesce(sum(revenue), 0)::DOUBLE FROM orders) AS net_revenue,
       (SELECT count(*) FROM events) AS events,
       (SELECT count(*) FROM identities) AS identities,
       (SELECT count(*) FROM consent) AS consent_rows,
       (SELECT count(*) FROM consent WHERE channel = 'email' AND status = 'granted') AS email_consent_granted,
       (SELECT count(*) FROM consent WHERE channel = 'email') AS email_consent_asked,
       (WITH c AS (
          SELECT event, timestamp,
            min(CASE WHEN event = 'Order Completed' THEN timestamp END) OVER (
              PARTITION BY customer_id ORDER BY timestamp, event ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS next_order
          FROM events WHERE event IN ('Checkout Started', 'Order Completed'))
        SELECT count(*) FROM c WHERE event = 'Checkout Started'
          AND (next_order IS NULL OR next_order > timestamp + INTERVAL 1 HOUR)) AS abandoned_checkouts,
       (SELECT min(timestamp) FROM events) AS first_event_at,
       (SELECT max(timestamp) FROM events) AS last_event_at`,
  );
  return row!;
}

/**
 * A customer worth showing first: a repeat buyer with an abandoned checkout and email opens if there is
 * one, else the biggest spender. Ties go to the smallest id, so the same demo always shows the same one.
 */
export async function showcaseCustomer(db: Queryable): Promise<{ customer_id: string; email: string | null; user_id: string | null } | undefined> {
  const row = await db.one<{ customer_id: string; traits: string | null; emails: string[] | null; user_id: string | null }>(
    `WITH engaged AS (
       SELECT customer_id,
         bool_or(event = 'Checkout Started') AS checkout,
         bool_or(event = 'Email Opened') AS opened
       FROM events WHERE event IN ('Checkout Started', 'Email Opened') GROUP BY customer_id
     )
     SELECT m.customer_id, (SELECT c.traits::VARCHAR FROM customers c WHERE c.customer_id = m.customer_id) AS traits,
       ${emailIdentitiesSql('m.customer_id')} AS emails,
       (SELECT min(value) FROM identities i WHERE i.customer_id = m.customer_id AND i.kind = 'user_id') AS user_id
     FROM customer_metrics m LEFT JOIN engaged e ON e.customer_id = m.customer_id
     ORDER BY (m.orders_count BETWEEN 3 AND 8 AND coalesce(e.checkout AND e.opened, false)) DESC,
       m.total_spent DESC, m.customer_id
     LIMIT 1`,
  );
  if (!row) return undefined;
  const { customer_id, email, user_id } = withCustomerEmail([row])[0]!;
  return { customer_id, email, user_id };
}
