import type { Queryable } from '../db.js';

/** True when a (surviving or merged) customer with this id exists. */
export async function customerExists(db: Queryable, customerId: string): Promise<{ exists: boolean; mergedInto: string | null }> {
  const row = await db.one<{ merged_into: string | null }>('SELECT merged_into FROM customers WHERE customer_id = $1', [customerId]);
  return { exists: row !== undefined, mergedInto: row?.merged_into ?? null };
}

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
