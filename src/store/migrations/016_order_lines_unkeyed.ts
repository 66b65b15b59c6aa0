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
 * DuckDB cannot drop a constraint, so the table is copied into one without it, in the same order.
 */
export const orderLinesUnkeyed: Migration = {
  version: 16,
  name: 'order_lines_unkeyed',
  statements: [
    `CREATE TABLE order_lines_unkeyed (
      order_id VARCHAR NOT NULL,
      line_no INTEGER NOT NULL,
      product_id VARCHAR,
      name VARCHAR,
      category VARCHAR,
      price DECIMAL(18,4),
      quantity DOUBLE,
      amount DECIMAL(18,4) NOT NULL,
      kind VARCHAR NOT NULL DEFAULT 'product'
    )`,
    'INSERT INTO order_lines_unkeyed SELECT order_id, line_no, product_id, name, category, price, quantity, amount, kind FROM order_lines ORDER BY order_id, line_no',
    'DROP TABLE order_lines',
    'ALTER TABLE order_lines_unkeyed RENAME TO order_lines',
  ],
};
