import type { Queryable } from '../db.js';
import type { Migration } from './types.js';

/**
 * order_lines without its (order_id, line_no) primary key. Keeping the unique index up to date was about
 * half the cost of writing an import's lines (bench/import.ts: 541,909 lines of Online Retail), and
 * nothing looks lines up through it: they are read by order id in hash joins and scans.
 *
 * Uniqueness still holds by construction. Lines are only ever written together with their order, and
 * only for orders not yet stored (orders.order_id is still a primary key): an import numbers the lines
 * of each new order 1..n with row_number() (store/queries/import/write.ts), live events number an
 * order's products 1..n (store/queries/orders.ts), and the demo loader writes generated, numbered lines
 * of new orders. An order is rewritten only after its lines are deleted (claims, repairs, erasure).
 *
 * DuckDB cannot drop a constraint, so the table is copied into one without it, in the same order. The
 * copy takes the columns the file has (`kind` comes from migration 7, which may land after this one);
 * the NOT NULL rules are set again, and `kind`'s default and NOT NULL when it is there (finish).
 */
export const orderLinesUnkeyed: Migration = {
  version: 16,
  name: 'order_lines_unkeyed',
  statements: [
    'CREATE TABLE order_lines_unkeyed AS SELECT * FROM order_lines ORDER BY order_id, line_no',
    'DROP TABLE order_lines',
    'ALTER TABLE order_lines_unkeyed RENAME TO order_lines',
    'ALTER TABLE order_lines ALTER COLUMN order_id SET NOT NULL',
    'ALTER TABLE order_lines ALTER COLUMN line_no SET NOT NULL',
    'ALTER TABLE order_lines ALTER COLUMN amount SET NOT NULL',
  ],
  finish: async (tx: Queryable) => {
    const kind = await tx.one<{ n: number }>(
      "SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = 'main' AND table_name = 'order_lines' AND column_name = 'kind'",
    );
    if (kind!.n === 0) return;
    await tx.run("ALTER TABLE order_lines ALTER COLUMN kind SET DEFAULT 'product'");
    await tx.run('ALTER TABLE order_lines ALTER COLUMN kind SET NOT NULL');
  },
};
