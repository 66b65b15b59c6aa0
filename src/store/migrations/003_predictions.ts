import type { Migration } from './types.js';

/**
 * Tables of the predictions capability.
 * clv_models: every fit of a lifetime-value model (params and the full report as JSON), newest used by
 * `clv predict`. customer_predictions: the latest prediction per customer, which the segment catalog reads
 * (clv.p_alive, churn.risk, next_order_at, …); `clv predict` replaces it whole, so every row shares one
 * as_of and one model fit.
 */
export const predictions: Migration = {
  version: 3,
  name: 'predictions',
  statements: [
    `CREATE TABLE clv_models (
      model_id VARCHAR PRIMARY KEY,
      fitted_at TIMESTAMP NOT NULL,
      model VARCHAR NOT NULL,
      grain VARCHAR NOT NULL,
      time_unit VARCHAR NOT NULL,
      calibration_end TIMESTAMP NOT NULL,
      customers INTEGER NOT NULL,
      log_likelihood DOUBLE NOT NULL,
      params JSON NOT NULL,
      spend_params JSON,
      report JSON NOT NULL
    )`,
    `CREATE TABLE customer_predictions (
      customer_id VARCHAR PRIMARY KEY,
      as_of TIMESTAMP NOT NULL,
      model VARCHAR NOT NULL,
      model_id VARCHAR NOT NULL,
      expected_purchases_90d DOUBLE NOT NULL,
      p_alive DOUBLE NOT NULL,
      churn_probability DOUBLE NOT NULL,
      churn_risk VARCHAR NOT NULL,
      expected_spend DOUBLE,
      predicted_clv_365d DOUBLE,
      next_order_at TIMESTAMP,
      computed_at TIMESTAMP NOT NULL
    )`,
  ],
};
