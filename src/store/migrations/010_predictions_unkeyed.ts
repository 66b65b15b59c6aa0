import type { Migration } from './types.js';

/**
 * customer_predictions without its primary key, like the analytics snapshots (004): `clv predict`
 * rewrites it whole, one row per customer of a GROUP BY, in customer-id order. Keeping a unique index on
 * a million text keys up to date cost about ten times the write itself (bench/clv.ts), while the segment
 * SQL hash-joins the table and a lookup of one customer is pruned to one row group by DuckDB's min/max
 * zone maps, the rows being sorted by customer id. DuckDB cannot drop a constraint, so the table is
 * copied into one without it.
 */
export const predictionsUnkeyed: Migration = {
  version: 10,
  name: 'predictions_unkeyed',
  statements: [
    `CREATE TABLE customer_predictions_unkeyed (
      customer_id VARCHAR NOT NULL,
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
    'INSERT INTO customer_predictions_unkeyed SELECT * FROM customer_predictions ORDER BY customer_id',
    'DROP TABLE customer_predictions',
    'ALTER TABLE customer_predictions_unkeyed RENAME TO customer_predictions',
  ],
};
