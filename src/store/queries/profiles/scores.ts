import type { Queryable } from '../../db.js';
import type { CustomerPredictionRow } from '../clv-predictions.js';

export interface StoredRfmRow {
  as_of: Date;
  bins: number;
  recency_days: number;
  frequency: number;
  monetary: number;
  r: number;
  f: number;
  m: number;
  score: string;
  rfm_group: string;
}

/** A stored prediction as customer_predictions holds it (written by `segmint clv predict`). */
export type StoredPredictionRow = Omit<CustomerPredictionRow, 'customer_id'>;

export interface StoredPropensityRow {
  target: string;
  probability: number;
  as_of: Date;
  model_id: string;
}

export interface StoredClusterRow {
  cluster: number | null;
  cluster_name: string;
  method: string;
  as_of: Date;
}

/** One customer's row of the saved RFM snapshot (customer_rfm), if scored. */
export function storedRfm(db: Queryable, id: string): Promise<StoredRfmRow | undefined> {
  return db.one<StoredRfmRow>(
    `SELECT as_of, bins, recency_days, frequency, monetary::DOUBLE AS monetary, r, f, m, score, rfm_group
     FROM customer_rfm WHERE customer_id = $1`,
    [id],
  );
}

/** One customer's stored lifetime-value prediction (customer_predictions), if predicted. */
export function storedPrediction(db: Queryable, id: string): Promise<StoredPredictionRow | undefined> {
  return db.one<StoredPredictionRow>(
    `SELECT as_of, model, model_id, expected_purchases_90d, p_alive, churn_probability, churn_risk, expected_spend,
       predicted_clv_365d, next_order_at
     FROM customer_predictions WHERE customer_id = $1`,
    [id],
  );
}

/** One customer's stored propensity scores, one per target. */
export function storedPropensity(db: Queryable, id: string): Promise<StoredPropensityRow[]> {
  return db.all<StoredPropensityRow>(
    'SELECT target, probability, as_of, model_id FROM propensity_scores WHERE customer_id = $1 ORDER BY target',
    [id],
  );
}

/** One customer's cluster from the last saved clustering, if clustered. */
export function storedCluster(db: Queryable, id: string): Promise<StoredClusterRow | undefined> {
  return db.one<StoredClusterRow>('SELECT cluster, cluster_name, method, as_of FROM customer_clusters WHERE customer_id = $1', [id]);
}
