import type { Queryable } from '../db.js';

export interface RfmSnapshot {
  r: number;
  f: number;
  m: number;
  score: string;
  rfm_group: string;
  as_of: Date;
}

/**
 * The customer's row of the latest RFM snapshot (table customer_rfm of the analytics area), or
 * undefined when there is no such table or no row for them.
 */
export async function rfmSnapshot(db: Queryable, customerId: string): Promise<RfmSnapshot | undefined> {
  const t = await db.one<{ n: number }>(
    `SELECT count(*) AS n FROM duckdb_columns() WHERE table_name = 'customer_rfm' AND column_name IN ('r', 'f', 'm', 'score', 'rfm_group', 'as_of')`,
  );
  if ((t?.n ?? 0) < 6) return undefined;
  return db.one<RfmSnapshot>('SELECT r, f, m, score, rfm_group, as_of FROM customer_rfm WHERE customer_id = $1', [customerId]);
}

/**
 * The customer a person means by `ref`: a customer id, or else any identifier value they are known by
 * (user id, email, external id), followed through merges to the surviving customer. Ambiguous
 * identifier values (two customers) come back as several ids so the caller can say so.
 */
export async function resolveCustomerRef(db: Queryable, ref: string): Promise<string[]> {
  const rows = await db.all<{ customer_id: string }>(
    `WITH RECURSIVE hit AS (
       SELECT customer_id FROM customers WHERE customer_id = $1
       UNION
       SELECT customer_id FROM identities WHERE value = $1 AND NOT EXISTS (SELECT 1 FROM customers WHERE customer_id = $1)
     ),
     chain(customer_id, depth) AS (
       SELECT customer_id, 0 FROM hit
       UNION ALL
       SELECT c.merged_into, ch.depth + 1 FROM chain ch JOIN customers c ON c.customer_id = ch.customer_id
       WHERE c.merged_into IS NOT NULL AND ch.depth < 20
     )
     SELECT DISTINCT ch.customer_id FROM chain ch JOIN customers c ON c.customer_id = ch.customer_id
     WHERE c.merged_into IS NULL ORDER BY ch.customer_id`,
    [ref],
  );
  return rows.map((r) => r.customer_id);
}

/**
 * The customer's stored lifetime-value prediction (table customer_predictions, written by `segmint clv
 * predict`), if that table exists and has a row for them.
 */
export async function storedPAlive(db: Queryable, customerId: string): Promise<{ p_alive: number; as_of: Date; model: string } | undefined> {
  const t = await db.one<{ n: number }>(
    `SELECT count(*) AS n FROM duckdb_columns() WHERE table_name = 'customer_predictions' AND column_name IN ('p_alive', 'as_of', 'model')`,
  );
  if ((t?.n ?? 0) < 3) return undefined;
  return db.one('SELECT p_alive, as_of, model FROM customer_predictions WHERE customer_id = $1', [customerId]);
}
