import type { ColumnQueryable, Queryable, Store } from '../../db.js';
import { emptyTable } from '../empty-table.js';
import { stageQuery, type Staged } from '../staged.js';
import { customerValuesSql } from './customer-values.js';

/**
 * Per-customer inputs of clustering. The three RFM values come from orders as of the given moment
 * (same definitions as RFM); the others are columns of customer_metrics (as of its last refresh).
 * Column expressions come only from this fixed table, never from user text.
 */
export const FEATURE_COLUMNS = {
  recency_days: 'v.recency_days::DOUBLE',
  frequency: 'v.frequency::DOUBLE',
  monetary: 'v.monetary::DOUBLE',
  avg_days_between_orders: 'cm.avg_days_between_orders::DOUBLE',
  distinct_products: 'cm.distinct_products::DOUBLE',
  avg_order_value: 'cm.avg_order_value::DOUBLE',
  gross_revenue: 'cm.gross_revenue::DOUBLE',
  refunded: 'cm.refunded::DOUBLE',
} as const;

export type FeatureColumn = keyof typeof FEATURE_COLUMNS;

/** The features of every customer, row-major n × d, and where the customers' ids are (see Staged). */
export interface ClusterFeatures {
  /** The customers, in customer id order: their ids stay in this staged table (drop it with dropStaged). */
  readonly customers: Staged;
  readonly values: Float64Array;
  /** 1 where a feature is missing (SQL NULL, e.g. days between orders of a one-order customer). */
  readonly missing: Uint8Array;
}

/**
 * One row per customer with an order before asOf, with the requested features. Ordered by customer id,
 * so a seeded clustering sees the same points in the same order every time. The rows are staged in the
 * connection and only the numbers are read, column by column, into the n × d matrix: a million
 * customers are a few arrays, and their ids never leave the database (saveClusterRun joins to them).
 */
export async function clusterFeatureRows(db: ColumnQueryable, asOf: Date, features: readonly FeatureColumn[]): Promise<ClusterFeatures> {
  // NULL stays NULL in the stage; the column read makes it NaN, which marks a missing value.
  const cols = features.map((f, i) => `${FEATURE_COLUMNS[f]} AS f${i}`).join(', ');
  // customer_metrics is joined only when a feature reads it (one row per customer: its key is customer_id).
  const metrics = features.some((f) => FEATURE_COLUMNS[f].startsWith('cm.'));
  const customers = await stageQuery(
    db,
    'cluster_features',
    `WITH v AS (${customerValuesSql('$1')})
     SELECT v.customer_id, ${cols}
     FROM v ${metrics ? 'LEFT JOIN customer_metrics cm ON cm.customer_id = v.customer_id' : ''}
     ORDER BY v.customer_id`,
    [asOf],
  );
  const d = features.length;
  const n = customers.size;
  const values = new Float64Array(n * d);
  const missing = new Uint8Array(n * d);
  if (d > 0) {
    const result = await db.columns(`SELECT ${features.map((_, t) => `f${t}`).join(', ')} FROM ${customers.table}`);
    for (let t = 0; t < d; t++) {
      const column = result.numbers(`f${t}`);
      for (let i = 0; i < n; i++) {
        const v = column[i] as number;
        if (Number.isNaN(v)) missing[i * d + t] = 1;
        else values[i * d + t] = v;
      }
    }
  }
  return { customers, values, missing };
}

/** Whether customer_metrics has been computed (extra features need it). */
export async function metricsRowCount(db: Queryable): Promise<number> {
  return (await db.one<{ n: number }>('SELECT count(*) AS n FROM customer_metrics'))?.n ?? 0;
}

export interface ClusterRun {
  readonly runId: string;
  readonly method: string;
  readonly k: number;
  readonly features: readonly string[];
  readonly seed: number;
  readonly asOf: Date;
  readonly report: unknown;
  /** The customers as clusterFeatureRows staged them. */
  readonly customers: Staged;
  /** Cluster of each customer (same order), −1 for an outlier. */
  readonly labels: Int32Array;
  /** Name of cluster c at index c. */
  readonly names: readonly string[];
}

/**
 * Replaces customer_clusters with one run's assignments and records the run, in one transaction. The
 * labels go in through the appender and meet their customers' ids by position in the staged features.
 */
export async function saveClusterRun(store: Store, run: ClusterRun): Promise<void> {
  await store.transaction(async (tx) => {
    await emptyTable(tx, 'customer_clusters');
    await tx.run('CREATE OR REPLACE TEMP TABLE customer_clusters_in (c INTEGER)');
    try {
      await tx.append('customer_clusters_in', [{ type: 'INTEGER', values: run.labels }]);
      await tx.run(
        `INSERT INTO customer_clusters
         SELECT s.customer_id, CASE WHEN c < 0 THEN NULL ELSE c END,
           CASE WHEN c < 0 THEN 'outlier' ELSE list_extract($1::VARCHAR[], c + 1) END,
           $2, $3::TIMESTAMP, now()::TIMESTAMP
         FROM ${run.customers.table} s POSITIONAL JOIN customer_clusters_in`,
        [run.names, run.method, run.asOf],
      );
    } finally {
      await tx.run('DROP TABLE IF EXISTS customer_clusters_in');
    }
    await tx.run('DELETE FROM cluster_runs');
    await tx.run('INSERT INTO cluster_runs VALUES ($1, $2, $3, $4, $5, $6::TIMESTAMP, now()::TIMESTAMP, $7::JSON)', [
      run.runId,
      run.method,
      run.k,
      run.features.join(','),
      run.seed,
      run.asOf,
      JSON.stringify(run.report),
    ]);
  });
}
