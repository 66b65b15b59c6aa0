import type { Migration } from './types.js';

/**
 * customer_predictions split in two: the run's constants once, the per-customer values once per customer.
 *
 * `clv predict` replaces every prediction with one run's, so as_of, model, model_id and computed_at were
 * the same on every row; written on a million rows they still cost DuckDB per row (statistics and
 * compression analysis of four columns: 0.33–0.39 s of CPU, bench/clv.ts). Now:
 * - prediction_runs: the run, at most one row (a key that can only be true);
 * - customer_prediction_values: customer_id and the values of the customer, in customer-id order (the
 *   order `clv predict` writes, so a lookup of one customer is pruned by min/max zone maps);
 * - customer_predictions: a view joining the two with the old table's columns in the old order, so every
 *   reader (segment fields, KPIs, explanations, profiles, templates, subject export) is unchanged.
 *   A view cannot be written: writers use the two tables (store/queries/clv-predictions.ts, merges,
 *   erasure through the person-data registry).
 *
 * Every stored prediction is kept. Rows written by segmint always share one run; should a file hold rows of
 * several runs (only a hand edit makes them), the latest run (by computed_at, then as_of) is kept with its
 * rows, and the older runs' rows go: their as_of cannot be stored any more, and presenting them under the
 * newest as_of would pass stale predictions off as fresh. `segmint clv predict` makes them again.
 */
export const predictionRuns: Migration = {
  version: 17,
  name: 'prediction_runs',
  statements: [
    `CREATE TABLE prediction_runs (
      only_row BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
      as_of TIMESTAMP NOT NULL,
      model VARCHAR NOT NULL,
      model_id VARCHAR NOT NULL,
      computed_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE customer_prediction_values (
      customer_id VARCHAR NOT NULL,
      expected_purchases_90d DOUBLE NOT NULL,
      p_alive DOUBLE NOT NULL,
      churn_probability DOUBLE NOT NULL,
      churn_risk VARCHAR NOT NULL,
      expected_spend DOUBLE,
      predicted_clv_365d DOUBLE,
      next_order_at TIMESTAMP
    )`,
    `INSERT INTO prediction_runs (as_of, model, model_id, computed_at)
     SELECT as_of, model, model_id, computed_at FROM customer_predictions
     ORDER BY computed_at DESC, as_of DESC, model DESC, model_id DESC LIMIT 1`,
    `INSERT INTO customer_prediction_values
     SELECT p.customer_id, p.expected_purchases_90d, p.p_alive, p.churn_probability, p.churn_risk, p.expected_spend,
       p.predicted_clv_365d, p.next_order_at
     FROM customer_predictions p JOIN prediction_runs r
       ON p.as_of = r.as_of AND p.model = r.model AND p.model_id = r.model_id AND p.computed_at = r.computed_at
     ORDER BY p.customer_id`,
    'DROP TABLE customer_predictions',
    `CREATE VIEW customer_predictions AS
     SELECT v.customer_id, r.as_of, r.model, r.model_id, v.expected_purchases_90d, v.p_alive, v.churn_probability,
       v.churn_risk, v.expected_spend, v.predicted_clv_365d, v.next_order_at, r.computed_at
     FROM customer_prediction_values v CROSS JOIN prediction_runs r`,
  ],
};
