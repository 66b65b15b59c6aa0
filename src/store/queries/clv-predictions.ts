import type { Queryable, Store } from '../db.js';

export interface CustomerPredictionRow {
  customer_id: string;
  as_of: Date;
  model: string;
  model_id: string;
  expected_purchases_90d: number;
  p_alive: number;
  churn_probability: number;
  churn_risk: string;
  expected_spend: number | null;
  predicted_clv_365d: number | null;
  next_order_at: Date | null;
}

const COLUMNS = [
  'customer_id',
  'as_of',
  'model',
  'model_id',
  'expected_purchases_90d',
  'p_alive',
  'churn_probability',
  'churn_risk',
  'expected_spend',
  'predicted_clv_365d',
  'next_order_at',
] as const;
const TYPES = ['VARCHAR', 'TIMESTAMP', 'VARCHAR', 'VARCHAR', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'VARCHAR', 'DOUBLE', 'DOUBLE', 'TIMESTAMP'];
const CHUNK = 50_000;

/**
 * Replaces every stored prediction with `rows` in one transaction, so readers never see two runs mixed.
 * Rows go in as one LIST parameter per column (unnested side by side), in chunks.
 */
export async function replaceCustomerPredictions(db: Store, rows: readonly CustomerPredictionRow[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run('DELETE FROM customer_predictions');
    const select = COLUMNS.map((c, i) => `unnest($${i + 1}::${TYPES[i]}[]) AS ${c}`).join(', ');
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const params = COLUMNS.map((c) => chunk.map((r) => r[c]));
      await tx.run(`INSERT INTO customer_predictions (${COLUMNS.join(', ')}, computed_at) SELECT *, now()::TIMESTAMP FROM (SELECT ${select})`, params);
    }
  });
}

/** Stored predictions, for one customer or all (ordered by predicted CLV, highest first). */
export async function customerPredictions(db: Queryable, customerId?: string): Promise<CustomerPredictionRow[]> {
  return db.all<CustomerPredictionRow>(
    `SELECT ${COLUMNS.join(', ')} FROM customer_predictions
     WHERE $1::VARCHAR IS NULL OR customer_id = $1::VARCHAR
     ORDER BY predicted_clv_365d DESC NULLS LAST, customer_id`,
    [customerId ?? null],
  );
}
