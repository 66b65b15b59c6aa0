import type { Queryable } from '../../db.js';

/**
 * The moment the values of a stored table describe, for the tables segment fields read: customer metrics
 * count every order, so they describe the latest order; the analytics and prediction tables keep the
 * as_of they were computed for. The SQL is fixed per table (never built from a name passed in);
 * unknown tables are left out.
 */
const MOMENT_SQL: Readonly<Record<string, string>> = {
  customer_metrics: "SELECT max(placed_at) AS moment, count(*) > 0 AS filled FROM orders WHERE customer_id IS NOT NULL",
  customer_rfm: 'SELECT max(as_of) AS moment, count(*) > 0 AS filled FROM customer_rfm',
  customer_clusters: 'SELECT max(as_of) AS moment, count(*) > 0 AS filled FROM customer_clusters',
  customer_predictions: 'SELECT max(as_of) AS moment, count(*) > 0 AS filled FROM customer_predictions',
  customer_propensity: 'SELECT max(as_of) AS moment, count(*) > 0 AS filled FROM customer_propensity',
};

export interface StoredMoment {
  readonly table: string;
  /** null when the table holds nothing yet. */
  readonly moment: Date | null;
}

/** The moment of each known table among `tables`. */
export async function storedMoments(db: Queryable, tables: readonly string[]): Promise<StoredMoment[]> {
  const out: StoredMoment[] = [];
  for (const table of tables) {
    const sql = MOMENT_SQL[table];
    if (!sql) continue;
    const row = await db.one<{ moment: Date | null; filled: boolean }>(sql);
    out.push({ table, moment: row?.filled ? (row.moment ?? null) : null });
  }
  return out;
}
