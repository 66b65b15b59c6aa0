import type { Migration } from './types.js';

/**
 * Snapshots of the analytics capability, one row per customer, read by segments as table-backed
 * fields. Each table holds only the latest run (its as_of says which moment it describes); history
 * of RFM groups is recomputed from orders on demand (`segmint rfm movement`), so it is not stored.
 * The snapshot tables have no primary key on purpose: they are rewritten whole from a GROUP BY (one
 * row per customer by construction), and an index would make rewriting a million rows several times
 * slower while the segment SQL hash-joins them anyway.
 */
export const analytics: Migration = {
  version: 4,
  name: 'analytics',
  statements: [
    // rfm_group: the group name from the group table in force when the snapshot was taken.
    `CREATE TABLE customer_rfm (
      customer_id VARCHAR NOT NULL,
      as_of TIMESTAMP NOT NULL,
      bins INTEGER NOT NULL,
      recency_days INTEGER NOT NULL,
      frequency INTEGER NOT NULL,
      monetary DECIMAL(18,2) NOT NULL,
      r INTEGER NOT NULL,
      f INTEGER NOT NULL,
      m INTEGER NOT NULL,
      score VARCHAR NOT NULL,
      rfm_group VARCHAR NOT NULL,
      computed_at TIMESTAMP NOT NULL
    )`,
    // cluster is NULL for customers a density method left as outliers (cluster_name 'outlier').
    `CREATE TABLE customer_clusters (
      customer_id VARCHAR NOT NULL,
      cluster INTEGER,
      cluster_name VARCHAR NOT NULL,
      method VARCHAR NOT NULL,
      as_of TIMESTAMP NOT NULL,
      computed_at TIMESTAMP NOT NULL
    )`,
    // One row per clustering run that was saved: what produced the assignments in customer_clusters.
    `CREATE TABLE cluster_runs (
      run_id VARCHAR PRIMARY KEY,
      method VARCHAR NOT NULL,
      k INTEGER NOT NULL,
      features VARCHAR NOT NULL,
      seed INTEGER NOT NULL,
      as_of TIMESTAMP NOT NULL,
      computed_at TIMESTAMP NOT NULL,
      report JSON NOT NULL
    )`,
  ],
};
