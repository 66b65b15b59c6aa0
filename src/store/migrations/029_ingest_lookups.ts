import type { Migration } from './types.js';

/**
 * An index for what a live commit looks up on a shop with history (issue 15), so that its cost follows
 * the commit, not the history: an identify call reads the times of its customer's traits
 * (store/queries/traits.ts), and trait_times's key has two columns, which DuckDB's index cannot look
 * up, so without this every commit with an identify call read the whole table. DuckDB uses the index
 * for `customer_id IN (constants)` when that is the scan's only filter.
 *
 * (order_lines by order_id was measured too, for the metrics of a customer who ordered: on the
 * 100,000-customer base the statement cost the same with the lines looked up through it, since most of
 * its time is not the scan, and the index would cost every import's write of lines; so it is not made.)
 */
export const ingestLookups: Migration = {
  version: 29,
  name: 'trait_times by customer',
  statements: ['CREATE INDEX trait_times_customer ON trait_times (customer_id)'],
};
