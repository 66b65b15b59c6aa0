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
 * The customer's stored lifetime-value prediction (the customer_predictions view, written by `segmint clv
 * predict`), if it exists and has a row for them.
 */
export async function storedPAlive(db: Queryable, customerId: string): Promise<{ p_alive: number; as_of: Date; model: string } | undefined> {
  const t = await db.one<{ n: number }>(
    `SELECT count(*) AS n FROM duckdb_columns() WHERE table_name = 'customer_predictions' AND column_name IN ('p_alive', 'as_of', 'model')`,
  );
  if ((t?.n ?? 0) < 3) return undefined;
  return db.one('SELECT p_alive, as_of, model FROM customer_predictions WHERE customer_id = $1', [customerId]);
}
