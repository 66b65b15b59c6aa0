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
 * Rows go in as one LIST parameter per column (unnested side by side), in chunks. Every list is sent as
 * text and cast in SQL: a bound list takes its element type from its first element, so a DOUBLE column
 * starting with 1 would bind as INTEGER and a list starting with NULL loses every value.
 */
export async function replaceCustomerPredictions(db: Store, rows: readonly CustomerPredictionRow[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run('DELETE FROM customer_predictions');
    const lists = COLUMNS.map((c, i) => `unnest($${i + 1}::VARCHAR[]) AS ${c}`).join(', ');
    const casts = COLUMNS.map((c, i) => `CAST(NULLIF(${c}, '') AS ${TYPES[i]})`).join(', ');
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const params = COLUMNS.map((c) => chunk.map((r) => asText(r[c])));
      await tx.run(
        `INSERT INTO customer_predictions (${COLUMNS.join(', ')}, computed_at) SELECT ${casts}, now()::TIMESTAMP FROM (SELECT ${lists})`,
        params,
      );
    }
  });
}

/** '' stands for NULL (no customer id or band is empty); numbers print exactly (shortest round-trip form). */
function asText(v: string | number | Date | null): string {
  if (v === null) return '';
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  return String(v);
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
