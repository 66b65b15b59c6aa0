import type { Queryable } from '../../db.js';

/**
 * Already-present orders whose content in the file is not what the store holds (a corrected export, an
 * order edited since, a refund that grew): found by set-based SQL over those orders only, so an import
 * whose orders are all new (the first import of a file) pays one join of its order ids and nothing more.
 *
 * "Present" is what buildOrders (write.ts) leaves out: an order id in `orders` that no browser key alone
 * claimed. An order's content is its customer (the customer of its first line that has one), its time
 * (the earliest line's), its amount (the sum of its lines) and its lines as a multiset of (product id,
 * price, quantity, amount): line order, names, categories and line kinds are not compared (a name or an
 * override of --line-kind changes no number).
 */

/** One already-present order that differs from the file, for the report. */
export interface DifferingOrder {
  order_id: string;
  /** the file's lines of the order (first and last; a format's own row, such as a Shopify refund, has its order's first line) */
  first_line: number;
  last_line: number;
  /** what differs: any of customer, placed_at, amount, lines */
  differs: string[];
  /** where the stored order came from (an import format, `http` for the live API) */
  stored_source: string;
}

export interface ChangedOrders {
  /** stored refunds a format states cumulatively (Shopify's Refunded Amount) that the file raised: rewritten */
  refunds_updated: number;
  /** already-present orders the file has other content for, left as stored (replaced: not counted here) */
  differing: number;
  /** the first of them, by their first line in the file */
  examples: DifferingOrder[];
  /** differing orders rewritten from the file because the caller asked (ImportOptions.replaceDiffering) */
  replaced: number;
  /** events of the rewritten orders removed (the caller writes them again, so they are not new events) */
  events_removed: number;
}

export const DIFFERING_EXAMPLES = 10;

/**
 * Finds the file's already-present orders that differ from the store (imp_changed), then removes the
 * ones to be written again from the file, with their lines and events, so that buildOrders and
 * writeOrders write them like new orders:
 * - a refund row a format adds from a cumulative field (Shopify's `<Name>/refund`: synthetic rows of kind
 *   refund), stored by the same format, whose amount the file raises. Shopify's Refunded Amount is the
 *   order's refunds so far and a refund is never taken back, so a larger refund is the later state of the
 *   order, whatever order the exports are imported in; a smaller one (an older export imported after a
 *   newer one) is left as stored and counted as differing;
 * - with `replace`, every other differing order that an import of the same format (`source`) stored;
 *   orders other sources stored (the live API) are left and counted.
 * Needs imp_lines and imp_rows (write.ts, summary.ts). Runs before buildOrders.
 */
export async function settleChangedOrders(tx: Queryable, source: string, replace: boolean): Promise<ChangedOrders> {
  const none: ChangedOrders = { refunds_updated: 0, differing: 0, examples: [], replaced: 0, events_removed: 0 };
  await tx.run('DROP TABLE IF EXISTS imp_present');
  await tx.run(
    `CREATE TEMP TABLE imp_present AS
     SELECT order_id, source, kind, customer_id, placed_at, revenue FROM orders
     WHERE order_id IN (SELECT DISTINCT order_id FROM imp_rows WHERE error IS NULL AND order_id IS NOT NULL)
       AND order_id NOT IN (SELECT order_id FROM order_claims)`,
  );
  const present = (await tx.one<{ n: number }>('SELECT count(*) AS n FROM imp_present'))!.n;
  if (present === 0) {
    await tx.run('DROP TABLE imp_present');
    return none;
  }
  await tx.run('DROP TABLE IF EXISTS imp_changed');
  // The file's side of each present order, and its lines against the stored ones as multisets: each line
  // counted +1 from the file and -1 from the store, grouped by its values (GROUP BY takes NULLs as equal);
  // a group that does not sum to 0 is a line one side has more often. One aggregation over both sides
  // costs less than two EXCEPT ALL (on Online Retail imported again, every line of the file is compared).
  await tx.run(
    `CREATE TEMP TABLE imp_changed AS
     WITH f AS (
       SELECT order_id, arg_min(customer_id, line) FILTER (WHERE customer_id IS NOT NULL) AS customer_id,
         min(placed_at) AS placed_at, sum(amount) AS revenue, min(line) AS first_line, max(line) AS last_line,
         bool_or(synthetic AND kind = 'refund') AS own_refund
       FROM imp_lines WHERE order_id IN (SELECT order_id FROM imp_present) GROUP BY order_id
     ),
     dl AS (
       SELECT DISTINCT order_id FROM (
         SELECT order_id, product_id, price, quantity, amount, 1 AS side FROM imp_rows
         WHERE error IS NULL AND order_id IN (SELECT order_id FROM imp_present)
         UNION ALL
         SELECT order_id, product_id, price, quantity, amount, -1 FROM order_lines
         WHERE order_id IN (SELECT order_id FROM imp_present)
       ) GROUP BY order_id, product_id, price, quantity, amount HAVING sum(side) <> 0
     )
     SELECT f.order_id, f.first_line, f.last_line, s.source AS stored_source,
       list_filter([
         CASE WHEN f.customer_id IS DISTINCT FROM s.customer_id THEN 'customer' END,
         CASE WHEN f.placed_at IS DISTINCT FROM s.placed_at THEN 'placed_at' END,
         CASE WHEN f.revenue IS DISTINCT FROM s.revenue THEN 'amount' END,
         CASE WHEN f.order_id IN (SELECT order_id FROM dl) THEN 'lines' END], x -> x IS NOT NULL) AS differs,
       f.own_refund AND s.kind = 'refund' AND s.source = $1 AND f.revenue < s.revenue AS refund_grew,
       s.source = $1 AS same_source
     FROM f JOIN imp_present s USING (order_id)`,
    [source],
  );
  await tx.run('DELETE FROM imp_changed WHERE len(differs) = 0');
  const counts = (await tx.one<{ grew: number; replaced: number; left: number }>(
    `SELECT count(*) FILTER (WHERE refund_grew) AS grew,
       count(*) FILTER (WHERE NOT refund_grew AND same_source AND $1) AS replaced,
       count(*) FILTER (WHERE NOT refund_grew AND NOT (same_source AND $1)) AS "left"
     FROM imp_changed`,
    [replace],
  ))!;
  const examples = await tx.all<DifferingOrder>(
    `SELECT order_id, first_line, last_line, differs, stored_source FROM imp_changed
     WHERE NOT refund_grew AND NOT (same_source AND $1) ORDER BY first_line, order_id LIMIT ${DIFFERING_EXAMPLES}`,
    [replace],
  );
  let eventsRemoved = 0;
  if (counts.grew + counts.replaced > 0) {
    // Removed here and written again from the file by buildOrders/writeOrders, as a repaired order is.
    await tx.run('CREATE OR REPLACE TEMP TABLE imp_rewrite AS SELECT order_id FROM imp_changed WHERE refund_grew OR (same_source AND $1)', [replace]);
    const gone = await tx.one<{ n: number }>(
      'SELECT count(*) AS n FROM events WHERE message_id IN (SELECT message_id FROM orders WHERE order_id IN (SELECT order_id FROM imp_rewrite))',
    );
    eventsRemoved = gone!.n;
    await tx.run('DELETE FROM events WHERE message_id IN (SELECT message_id FROM orders WHERE order_id IN (SELECT order_id FROM imp_rewrite))');
    await tx.run('DELETE FROM order_lines WHERE order_id IN (SELECT order_id FROM imp_rewrite)');
    await tx.run('DELETE FROM orders WHERE order_id IN (SELECT order_id FROM imp_rewrite)');
    await tx.run('DROP TABLE imp_rewrite');
  }
  await tx.run('DROP TABLE imp_changed');
  await tx.run('DROP TABLE imp_present');
  return {
    refunds_updated: counts.grew,
    differing: counts.left,
    examples: examples.map((e) => ({ ...e, first_line: Number(e.first_line), last_line: Number(e.last_line), differs: [...e.differs] })),
    replaced: counts.replaced,
    events_removed: eventsRemoved,
  };
}
