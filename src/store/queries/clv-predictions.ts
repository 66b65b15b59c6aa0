import type { Queryable, Store } from '../db.js';
import { emptyTable } from './empty-table.js';
import type { Staged } from './staged.js';

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

/** One run's predictions column by column: one entry per customer; the run's as_of and model are shared. */
export interface CustomerPredictionColumns {
  readonly asOf: Date;
  readonly model: string;
  readonly modelId: string;
  /** The customers, in the order of the other columns: their ids, or the staged histories they came from. */
  readonly customers: readonly string[] | Staged;
  readonly expectedPurchases90d: Float64Array;
  readonly pAlive: Float64Array;
  readonly churnProbability: Float64Array;
  /** Index into churnRiskNames. */
  readonly churnRisk: Uint8Array;
  readonly churnRiskNames: readonly string[];
  /** 1 where expected_spend and predicted_clv_365d have a value; NULL elsewhere. */
  readonly hasSpend: Uint8Array;
  readonly expectedSpend: Float64Array;
  readonly predictedClv365d: Float64Array;
  /** ms since the epoch, NaN for NULL; fractions are cut as a Date cuts them. */
  readonly nextOrderMs: Float64Array;
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

/**
 * Replaces every stored prediction with one run's, in one transaction, so readers never see two runs
 * mixed. The run's as_of, model, fit id and time go once into prediction_runs, the per-customer values into
 * customer_prediction_values (migration 17; readers see both through the customer_predictions view). The
 * old values go with their table (emptyTable: dropping it is instant, deleting a million rows is not).
 * The values go through DuckDB's appender into a staging table (numbers straight from their arrays, no SQL
 * text per row); one INSERT … SELECT then turns the risk codes and times into their stored types, and
 * takes the customer ids from the staged histories by position (a POSITIONAL JOIN, see Staged) when the
 * predictions came from there, so no id crosses into JavaScript and back. With no customer, nothing is
 * stored, not even the run.
 */
export async function replaceCustomerPredictionColumns(db: Store, p: CustomerPredictionColumns): Promise<void> {
  const staged = Array.isArray(p.customers) ? undefined : (p.customers as Staged);
  const ids = Array.isArray(p.customers) ? (p.customers as readonly string[]) : undefined;
  const n = staged ? staged.size : (ids as readonly string[]).length;
  const nextOrderMs = p.nextOrderMs.map(Math.trunc);
  await db.transaction(async (tx) => {
    await emptyTable(tx, 'customer_prediction_values');
    await tx.run('DELETE FROM prediction_runs');
    // NULLs are decided in SQL (has_spend, NaN times), so no appended column needs a NULL mask.
    await tx.run(
      `CREATE OR REPLACE TEMP TABLE customer_predictions_in (${ids ? 'customer_id VARCHAR, ' : ''}expected_purchases_90d DOUBLE,
         p_alive DOUBLE, churn_probability DOUBLE, churn_risk INTEGER, has_spend INTEGER, expected_spend DOUBLE,
         predicted_clv_365d DOUBLE, next_order_ms DOUBLE)`,
    );
    try {
      await tx.append('customer_predictions_in', [
        ...(ids ? [{ type: 'VARCHAR' as const, values: ids }] : []),
        { type: 'DOUBLE', values: p.expectedPurchases90d },
        { type: 'DOUBLE', values: p.pAlive },
        { type: 'DOUBLE', values: p.churnProbability },
        { type: 'INTEGER', values: p.churnRisk },
        { type: 'INTEGER', values: p.hasSpend },
        { type: 'DOUBLE', values: p.expectedSpend },
        { type: 'DOUBLE', values: p.predictedClv365d },
        { type: 'DOUBLE', values: nextOrderMs },
      ]);
      if (n > 0) {
        await tx.run('INSERT INTO prediction_runs (as_of, model, model_id, computed_at) VALUES ($1::TIMESTAMP, $2, $3, now()::TIMESTAMP)', [
          p.asOf,
          p.model,
          p.modelId,
        ]);
        await tx.run(
          `INSERT INTO customer_prediction_values (customer_id, expected_purchases_90d, p_alive, churn_probability, churn_risk,
             expected_spend, predicted_clv_365d, next_order_at)
           SELECT ${staged ? 'h.customer_id' : 'customer_id'}, expected_purchases_90d, p_alive, churn_probability,
             list_extract($1::VARCHAR[], churn_risk + 1),
             CASE WHEN has_spend = 1 THEN expected_spend END, CASE WHEN has_spend = 1 THEN predicted_clv_365d END,
             CASE WHEN NOT isnan(next_order_ms) THEN epoch_ms(next_order_ms::BIGINT) END
           FROM ${staged ? `${staged.table} h POSITIONAL JOIN customer_predictions_in` : 'customer_predictions_in'}`,
          [p.churnRiskNames],
        );
      }
    } finally {
      await tx.run('DROP TABLE IF EXISTS customer_predictions_in');
    }
  });
}

/**
 * Replaces every stored prediction with `rows` (replaceCustomerPredictionColumns on their columns). Every
 * row must share the first row's as_of, model and model_id, as one run's do.
 */
export async function replaceCustomerPredictions(db: Store, rows: readonly CustomerPredictionRow[]): Promise<void> {
  const first = rows[0];
  const risks = [...new Set(rows.map((r) => r.churn_risk))];
  const numbers = (f: (r: CustomerPredictionRow) => number | null) => Float64Array.from(rows, (r) => f(r) ?? NaN);
  if (first && rows.some((r) => r.as_of.getTime() !== first.as_of.getTime() || r.model !== first.model || r.model_id !== first.model_id)) {
    throw new Error('replaceCustomerPredictions: rows of more than one run');
  }
  await replaceCustomerPredictionColumns(db, {
    asOf: first?.as_of ?? new Date(0),
    model: first?.model ?? '',
    modelId: first?.model_id ?? '',
    customers: rows.map((r) => r.customer_id),
    expectedPurchases90d: numbers((r) => r.expected_purchases_90d),
    pAlive: numbers((r) => r.p_alive),
    churnProbability: numbers((r) => r.churn_probability),
    churnRisk: Uint8Array.from(rows, (r) => risks.indexOf(r.churn_risk)),
    churnRiskNames: risks,
    hasSpend: Uint8Array.from(rows, (r) => (r.expected_spend === null ? 0 : 1)),
    expectedSpend: numbers((r) => r.expected_spend),
    predictedClv365d: numbers((r) => r.predicted_clv_365d),
    nextOrderMs: numbers((r) => r.next_order_at?.getTime() ?? null),
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
