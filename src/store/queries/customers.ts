import { canonicalText, findOrStoredForm } from '../../domain/identifiers.js';
import type { Queryable } from '../db.js';

/**
 * The customers an identifier a person typed could mean: a customer id, or the value of any identity
 * (user id, email, external id such as an Online Retail CustomerID). Merged-away customers are
 * followed to the customer that absorbed them. A value that matches nothing as written means the id an
 * import stored for it: `12347.0` (Online Retail's CustomerID) is `12347`, `00004` (CDNOW's master id)
 * is `4`: see storedIdForm. The value is compared in NFC (canonicalText), as identities are stored.
 */
export async function customersForIdentifier(db: Queryable, identifier: string): Promise<string[]> {
  // In NFC, the form every identity is stored in (canonicalText): an email typed decomposed is found.
  return findOrStoredForm(canonicalText(identifier), (v) => customersForValue(db, v));
}

async function customersForValue(db: Queryable, identifier: string): Promise<string[]> {
  const rows = await db.all<{ customer_id: string }>(
    `WITH RECURSIVE hits AS (
       SELECT customer_id FROM customers WHERE customer_id = $1
       UNION SELECT customer_id FROM identities WHERE value = $1 OR (kind = 'email' AND value = lower(trim($1)))
     ),
     chain(customer_id, depth) AS (
       SELECT customer_id, 0 FROM hits
       UNION ALL
       SELECT c.merged_into, chain.depth + 1 FROM chain JOIN customers c ON c.customer_id = chain.customer_id
       WHERE c.merged_into IS NOT NULL AND chain.depth < 50
     )
     SELECT DISTINCT chain.customer_id FROM chain JOIN customers c ON c.customer_id = chain.customer_id
     WHERE c.merged_into IS NULL ORDER BY 1`,
    [identifier],
  );
  return rows.map((r) => r.customer_id);
}
