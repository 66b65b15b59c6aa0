import { emailIdentitiesSql, withCustomerEmail } from '../customer-emails.js';
import { nfcSql } from '../identifier-traits.js';
import type { Queryable } from '../../db.js';

export interface SearchHitRow {
  customer_id: string;
  /** what matched: customer_id, order_id, name, or an identity kind (email, user_id, anonymous_id, external:…) */
  matched_kind: string;
  matched_value: string;
  /** true when the whole identifier matched, false for a prefix */
  exact: boolean;
  traits: string;
  orders_count: number;
  total_spent: number;
  last_order_at: Date | null;
  /** the customer's email in force (customerEmail) */
  email: string | null;
  user_id: string | null;
}

/**
 * Customers a typed text may mean: the whole text equal to a customer id, an order id or any identity
 * value (email compared in lower case), or the start of an identity value or a name (first, last, or
 * "first last"; case-insensitive). `text` is in NFC (canonicalText), as identities are stored; names,
 * stored as sent, are compared in NFC too. The text is bound as a parameter and its LIKE wildcards escaped.
 * Merged-away customers are followed to the survivor. Exact matches first, then by net spend.
 */
export async function searchCustomerRows(db: Queryable, text: string, limit: number): Promise<SearchHitRow[]> {
  const rows = await db.all<Omit<SearchHitRow, 'email'> & { emails: string[] | null }>(
    `WITH RECURSIVE q AS (
       SELECT $1::VARCHAR AS q, lower(trim($1::VARCHAR)) AS lq,
         replace(replace(replace(lower(trim($1::VARCHAR)), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' AS prefix
     ),
     hits AS (
       SELECT c.customer_id, 'customer_id' AS matched_kind, c.customer_id AS matched_value, true AS exact
         FROM customers c, q WHERE c.customer_id = q.q
       UNION ALL
       SELECT o.customer_id, 'order_id', o.order_id, true FROM orders o, q WHERE o.order_id = q.q AND o.customer_id IS NOT NULL
       UNION ALL
       SELECT i.customer_id, i.kind, i.value, i.value = q.q OR lower(i.value) = q.lq
         FROM identities i, q WHERE lower(i.value) LIKE q.prefix ESCAPE '\\'
       UNION ALL
       -- the name shown is the one that matched: first and last name, else the single name trait
       SELECT c.customer_id, 'name', coalesce(nullif(f.full_name, ''), f.name, f.last_name),
           coalesce(lower(f.full_name) = q.lq OR lower(f.name) = q.lq, false)
         FROM customers c, q,
           LATERAL (SELECT trim(concat_ws(' ', json_extract_string(c.traits, '$.first_name'), json_extract_string(c.traits, '$.last_name'))) AS full_name,
                           json_extract_string(c.traits, '$.name') AS name, json_extract_string(c.traits, '$.last_name') AS last_name) n,
           -- names are traits, stored as sent: compared and shown in NFC, the form of the search text (searchCustomers)
           LATERAL (SELECT ${nfcSql('n.full_name')} AS full_name, ${nfcSql('n.name')} AS name, ${nfcSql('n.last_name')} AS last_name) f
         WHERE length(q.lq) >= 2
           AND (lower(f.full_name) LIKE q.prefix ESCAPE '\\' OR lower(f.name) LIKE q.prefix ESCAPE '\\' OR lower(f.last_name) LIKE q.prefix ESCAPE '\\')
     ),
     chain(customer_id, origin, depth) AS (
       SELECT DISTINCT customer_id, customer_id, 0 FROM hits
       UNION ALL
       SELECT c.merged_into, chain.origin, chain.depth + 1 FROM chain JOIN customers c ON c.customer_id = chain.customer_id
       WHERE c.merged_into IS NOT NULL AND chain.depth < 50
     ),
     survivors AS (
       SELECT chain.origin, chain.customer_id FROM chain JOIN customers c ON c.customer_id = chain.customer_id WHERE c.merged_into IS NULL
     ),
     -- one hit per surviving customer, kind and value from the same hit: an exact one first
     best AS (
       SELECT customer_id, matched_kind, matched_value, exact FROM (
         SELECT s.customer_id, h.matched_kind, h.matched_value, h.exact,
           row_number() OVER (PARTITION BY s.customer_id ORDER BY h.exact DESC, h.matched_kind, h.matched_value) AS rn
         FROM hits h JOIN survivors s ON s.origin = h.customer_id
       ) WHERE rn = 1
     )
     SELECT b.customer_id, b.matched_kind, b.matched_value, b.exact, c.traits::VARCHAR AS traits,
       coalesce(m.orders_count, 0) AS orders_count, coalesce(m.total_spent, 0)::DOUBLE AS total_spent, m.last_order_at,
       ${emailIdentitiesSql('b.customer_id')} AS emails,
       (SELECT min(value) FROM identities i WHERE i.customer_id = b.customer_id AND kind = 'user_id') AS user_id
     FROM best b JOIN customers c USING (customer_id) LEFT JOIN customer_metrics m USING (customer_id)
     ORDER BY b.exact DESC, total_spent DESC, b.customer_id LIMIT $2`,
    [text, limit],
  );
  return withCustomerEmail(rows);
}
