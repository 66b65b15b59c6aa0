import type { Migration } from './types.js';

/**
 * Indexes on customer_id for what a live commit looks up per customer (issue 10):
 * - orders: a commit that brings an order recomputes that customer's metrics (store/queries/metrics.ts);
 *   without the index finding the customer's orders scans every order;
 * - segment_members: the real-time engine deletes the rows of members who left (its primary key has two
 *   columns, which DuckDB's index cannot look up, so without this a delete scans every member).
 * DuckDB uses such an index for `customer_id IN (constants)` when that is the scan's only filter.
 */
export const customerIndexes: Migration = {
  version: 21,
  name: 'customer indexes for live commits',
  statements: ['CREATE INDEX orders_customer ON orders (customer_id)', 'CREATE INDEX segment_members_customer ON segment_members (customer_id)'],
};
