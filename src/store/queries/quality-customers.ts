import type { Queryable } from '../db.js';

export interface CountWithExamples<T> {
  count: number;
  examples: T[];
}

// Each live customer's emails, from its identities and its email trait, with a normalised form:
// lower case, no spaces, no +tag, and for Gmail no dots in the local part (Gmail ignores both).
const EMAILS = `
  WITH raw AS (
    SELECT customer_id, value AS email FROM identities WHERE kind = 'email'
    UNION
    SELECT customer_id, lower(trim(json_extract_string(traits, 'email'))) FROM customers
    WHERE merged_into IS NULL AND json_extract_string(traits, 'email') IS NOT NULL AND trim(json_extract_string(traits, 'email')) <> ''
  ),
  parts AS (
    SELECT customer_id, email, split_part(split_part(email, '@', 1), '+', 1) AS local,
      replace(split_part(email, '@', 2), 'googlemail.com', 'gmail.com') AS domain
    FROM raw WHERE contains(email, '@')
  ),
  emails AS (
    SELECT customer_id, email,
      CASE WHEN domain = 'gmail.com' THEN replace(local, '.', '') ELSE local END || '@' || domain AS norm
    FROM parts
  )`;

export interface DuplicateGroup {
  email: string;
  customer_ids: string[];
}

/**
 * Emails (as written, case aside) held by more than one live customer: `count` is the customers
 * involved (the unit of the base, live customers), `groups` the emails they share.
 */
export async function duplicateEmails(db: Queryable, limit: number): Promise<CountWithExamples<DuplicateGroup> & { groups: number }> {
  const rows = await db.all<DuplicateGroup & { groups: number; customers: number }>(
    `${EMAILS},
     g AS (SELECT email, list(DISTINCT customer_id ORDER BY customer_id) AS customer_ids FROM emails GROUP BY email
           HAVING count(DISTINCT customer_id) > 1)
     SELECT email, customer_ids, (SELECT count(*) FROM g) AS groups,
       (SELECT count(DISTINCT c) FROM (SELECT unnest(customer_ids) AS c FROM g)) AS customers
     FROM g ORDER BY len(customer_ids) DESC, email LIMIT $1`,
    [limit],
  );
  return { count: rows[0]?.customers ?? 0, groups: rows[0]?.groups ?? 0, examples: rows.map(({ groups: _g, customers: _c, ...r }) => r) };
}

export interface VariantGroup {
  name: string | null;
  normalised_email: string;
  emails: string[];
  customer_ids: string[];
}

/**
 * Different customers whose emails differ as written but are the same mailbox once normalised, and
 * whose names (when both have one) agree: `Jane.Doe+shop@gmail.com` and `janedoe@gmail.com`.
 */
export async function emailVariants(db: Queryable, limit: number): Promise<CountWithExamples<VariantGroup>> {
  const rows = await db.all<VariantGroup & { groups: number }>(
    `${EMAILS},
     named AS (
       SELECT e.*, nullif(lower(trim(concat_ws(' ', json_extract_string(c.traits, 'first_name'), json_extract_string(c.traits, 'last_name')))), '') AS name
       FROM emails e JOIN customers c USING (customer_id)
     ),
     g AS (
       SELECT any_value(name) AS name, norm AS normalised_email, list(DISTINCT email ORDER BY email) AS emails,
         list(DISTINCT customer_id ORDER BY customer_id) AS customer_ids
       FROM named GROUP BY norm
       HAVING count(DISTINCT customer_id) > 1 AND count(DISTINCT email) > 1 AND count(DISTINCT name) <= 1
     )
     SELECT *, (SELECT count(*) FROM g) AS groups FROM g ORDER BY normalised_email LIMIT $1`,
    [limit],
  );
  return { count: rows[0]?.groups ?? 0, examples: rows.map(({ groups: _g, ...r }) => r) };
}

export interface InvalidEmail {
  customer_id: string;
  email: string;
}

/** Email traits that are not of the form local@domain.tld (the same test identity resolution uses). */
export async function invalidEmails(db: Queryable, limit: number): Promise<CountWithExamples<InvalidEmail>> {
  const rows = await db.all<InvalidEmail & { total: number }>(
    `WITH bad AS (
       SELECT customer_id, json_extract_string(traits, 'email') AS email FROM customers
       WHERE merged_into IS NULL AND json_extract_string(traits, 'email') IS NOT NULL
         AND NOT regexp_matches(lower(trim(json_extract_string(traits, 'email'))), '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$')
     )
     SELECT *, (SELECT count(*) FROM bad) AS total FROM bad ORDER BY customer_id LIMIT $1`,
    [limit],
  );
  return { count: rows[0]?.total ?? 0, examples: rows.map(({ total: _t, ...r }) => r) };
}
