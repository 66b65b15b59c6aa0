import { MAX_AMOUNT_TEXT } from '../../../ingest/events/orders.js';
import type { Queryable } from '../../db.js';
import { MAX_AMOUNT_SQL } from './rows/sql.js';
import { STAGED_ROWS } from './rows/staged.js';

/**
 * Orders are imported whole or not at all: when any row of an order is skipped (a bad value, or a line
 * the reader could not split), every other row of that order is left out too and reported, so no order
 * is ever stored with lines missing (a later import of the fixed file then writes it whole). A
 * format's own rows of the order (a Shopify discount or refund) go with it: rows are grouped by the
 * order their event belongs to. `unreadable` lists order ids of lines the reader rejected, with the
 * line. An order whose lines add up to 10^12 or more in size is refused the same way. Returns how many
 * rows were left out because of another row. Runs on the staged rows, before they are compressed
 * (rows/staged.ts): it only reads the file's rows, not the store.
 */
export async function skipPartialOrders(tx: Queryable, unreadable: ReadonlyArray<{ orderId: string; line: number }>): Promise<number> {
  // An order's amount is below 10^12 in size, as a live order event's must be (docs/api.md, "Limits"):
  // each line is, but enough of them together are not, and the order's revenue would not fit its column.
  await tx.run(
    `UPDATE ${STAGED_ROWS} AS staged SET error = 'order ' || t.order_id || ' totals ' || CAST(t.total AS VARCHAR) || $1
     FROM (SELECT order_id, sum(amount) AS total FROM ${STAGED_ROWS} WHERE error IS NULL AND order_id IS NOT NULL
           GROUP BY order_id HAVING abs(sum(amount)) >= ${MAX_AMOUNT_SQL}) t
     WHERE t.order_id = staged.order_id AND staged.error IS NULL`,
    [`, beyond the amounts accepted (less than ${MAX_AMOUNT_TEXT} in size)`],
  );
  await tx.run('DROP TABLE IF EXISTS imp_bad_orders');
  await tx.run(
    `CREATE TEMP TABLE imp_bad_orders AS
     SELECT o, min(l) AS l FROM (
       SELECT coalesce(event_order_id, order_id) AS o, line AS l FROM ${STAGED_ROWS} WHERE error IS NOT NULL AND NOT synthetic AND order_id IS NOT NULL
       UNION ALL SELECT unnest($1::VARCHAR[]), unnest($2::BIGINT[])
     ) GROUP BY o`,
    [unreadable.map((u) => u.orderId), unreadable.map((u) => u.line)],
  );
  const n = await tx.one<{ n: number }>(
    `SELECT count(*) AS n FROM ${STAGED_ROWS} r JOIN imp_bad_orders b ON b.o = coalesce(r.event_order_id, r.order_id)
     WHERE r.error IS NULL AND NOT r.synthetic`,
  );
  await tx.run(
    `UPDATE ${STAGED_ROWS} AS staged SET error = 'left out with the rest of order ' || b.o || ', whose line ' || b.l || ' has an error'
     FROM imp_bad_orders b WHERE b.o = coalesce(staged.event_order_id, staged.order_id) AND staged.error IS NULL`,
  );
  await tx.run('DROP TABLE imp_bad_orders');
  return n!.n;
}

/**
 * Orders an earlier import of the same source stored with fewer lines than the file has, every stored
 * line being one of the file's (a file cut short exactly at a line end looks whole, so its last order
 * may have been stored in part): they are removed here, with their event, and written again whole by
 * the caller. Any other order already in the store is left as it is. Returns how many were repaired.
 */
export async function removeRepairableOrders(tx: Queryable, source: string): Promise<number> {
  // Only orders this source stored can be repaired: the first import of a source has none to look for.
  const stored = await tx.one<{ n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM orders WHERE source = $1 LIMIT 1)', [source]);
  if (stored!.n === 0) return 0;
  await tx.run('DROP TABLE IF EXISTS imp_repair');
  await tx.run(
    `CREATE TEMP TABLE imp_repair AS
     WITH f AS (SELECT order_id, count(*) AS n FROM imp_lines WHERE order_id IS NOT NULL GROUP BY order_id),
     s AS (
       SELECT l.order_id, count(*) AS n FROM order_lines l JOIN orders o USING (order_id)
       WHERE o.source = $1 AND l.order_id IN (SELECT order_id FROM f) GROUP BY l.order_id
     ),
     candidates AS (SELECT order_id FROM f JOIN s USING (order_id) WHERE f.n > s.n),
     stored AS (
       SELECT order_id, product_id, price, quantity, amount, count(*) AS c FROM order_lines
       WHERE order_id IN (SELECT order_id FROM candidates) GROUP BY ALL
     ),
     given AS (
       SELECT order_id, product_id, price, quantity, amount, count(*) AS c FROM imp_lines
       WHERE order_id IN (SELECT order_id FROM candidates) GROUP BY ALL
     ),
     missing AS (
       SELECT DISTINCT s.order_id FROM stored s LEFT JOIN given g ON g.order_id = s.order_id
         AND g.product_id IS NOT DISTINCT FROM s.product_id AND g.price IS NOT DISTINCT FROM s.price
         AND g.quantity IS NOT DISTINCT FROM s.quantity AND g.amount = s.amount
       WHERE g.c IS NULL OR g.c < s.c
     )
     SELECT order_id FROM candidates WHERE order_id NOT IN (SELECT order_id FROM missing)`,
    [source],
  );
  const n = (await tx.one<{ n: number }>('SELECT count(*) AS n FROM imp_repair'))!.n;
  if (n > 0) {
    await tx.run('DELETE FROM events WHERE message_id IN (SELECT message_id FROM orders WHERE order_id IN (SELECT order_id FROM imp_repair))');
    await tx.run('DELETE FROM order_lines WHERE order_id IN (SELECT order_id FROM imp_repair)');
    await tx.run('DELETE FROM orders WHERE order_id IN (SELECT order_id FROM imp_repair)');
  }
  await tx.run('DROP TABLE imp_repair');
  return n;
}
