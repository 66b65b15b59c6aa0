import type { Migration } from './types.js';

/**
 * Tables of the propensity capability.
 *
 * propensity_models keeps every trained model (coefficients, standardiser, training counts) as JSON, one
 * row per target and training cutoff, so a score can always be traced to the model that made it.
 * propensity_scores holds the latest score per customer and target (purchase_30d, churn_90d, or another
 * horizon someone trained). customer_propensity is the one-row-per-customer view segments join to:
 * propensity.purchase_30d and propensity.churn_90d read its columns.
 */
export const propensity: Migration = {
  version: 5,
  name: 'propensity',
  statements: [
    `CREATE TABLE propensity_models (
      model_id VARCHAR PRIMARY KEY,
      target VARCHAR NOT NULL,
      horizon_days INTEGER NOT NULL,
      cutoff TIMESTAMP NOT NULL,
      trained_at TIMESTAMP NOT NULL,
      model JSON NOT NULL
    )`,
    `CREATE TABLE propensity_scores (
      customer_id VARCHAR NOT NULL,
      target VARCHAR NOT NULL,
      probability DOUBLE NOT NULL,
      as_of TIMESTAMP NOT NULL,
      model_id VARCHAR NOT NULL,
      scored_at TIMESTAMP NOT NULL,
      PRIMARY KEY (customer_id, target)
    )`,
    `CREATE VIEW customer_propensity AS
      SELECT customer_id,
        max(probability) FILTER (WHERE target = 'purchase_30d') AS purchase_30d,
        max(probability) FILTER (WHERE target = 'churn_90d') AS churn_90d,
        max(as_of) AS as_of
      FROM propensity_scores GROUP BY customer_id`,
  ],
};
