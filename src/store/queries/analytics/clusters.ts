import type { Queryable, Store } from '../../db.js';

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

/**
 * One row per customer with an order before asOf: customer_id then the requested features (null when
 * missing, e.g. days between orders of a one-order customer). Ordered by customer id, so a seeded
 * clustering sees the same points in the same order every time.
 */
export async function clusterFeatureRows(
  db: Queryable,
  asOf: Date,
  features: readonly FeatureColumn[],
): Promise<{ ids: string[]; values: Float64Array; missing: Uint8Array }> {
  const cols = features.map((f, i) => `${FEATURE_COLUMNS[f]} AS f${i}`).join(', ');
  const rows = await db.all<Record<string, unknown>>(
    `WITH v AS (
       SELECT customer_id,
         count(*) FILTER (WHERE kind = 'order') AS frequency,
         round(sum(revenue), 2) AS monetary,
         (epoch_ms($1::TIMESTAMP) - epoch_ms(max(placed_at) FILTER (WHERE kind = 'order'))) // 86400000 AS recency_days
       FROM orders WHERE customer_id IS NOT NULL AND placed_at < $1::TIMESTAMP
       GROUP BY customer_id HAVING count(*) FILTER (WHERE kind = 'order') > 0
     )
     SELECT v.customer_id, ${cols}
     FROM v LEFT JOIN customer_metrics cm ON cm.customer_id = v.customer_id
     ORDER BY v.customer_id`,
    [asOf],
  );
  const d = features.length;
  const values = new Float64Array(rows.length * d);
  const missing = new Uint8Array(rows.length * d);
  const ids = new Array<string>(rows.length);
  rows.forEach((r, i) => {
    ids[i] = r.customer_id as string;
    for (let t = 0; t < d; t++) {
      const v = r[`f${t}`];
      if (v === null || v === undefined) missing[i * d + t] = 1;
      else values[i * d + t] = Number(v);
    }
  });
  return { ids, values, missing };
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
  readonly ids: readonly string[];
  /** Cluster of each id, −1 for an outlier. */
  readonly labels: ArrayLike<number>;
  /** Name of cluster c at index c. */
  readonly names: readonly string[];
}

const CHUNK = 50_000;

/**
 * Replaces customer_clusters with one run's assignments and records the run, in one transaction.
 * Rows go in as list parameters in chunks, so a million customers take a few statements.
 */
export async function saveClusterRun(store: Store, run: ClusterRun): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.run('DELETE FROM customer_clusters');
    for (let s = 0; s < run.ids.length; s += CHUNK) {
      const ids = run.ids.slice(s, s + CHUNK);
      const labels = Array.from({ length: ids.length }, (_, i) => run.labels[s + i]!);
      await tx.run(
        `INSERT INTO customer_clusters
         SELECT id, CASE WHEN c < 0 THEN NULL ELSE c END,
           CASE WHEN c < 0 THEN 'outlier' ELSE list_extract($3::VARCHAR[], c + 1) END,
           $4, $5::TIMESTAMP, now()::TIMESTAMP
         FROM (SELECT unnest($1::VARCHAR[]) AS id, unnest($2::INTEGER[]) AS c)`,
        [ids, labels, run.names, run.method, run.asOf],
      );
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
