import type { Queryable } from '../../db.js';

// One text key per identifier tuple (NULL and '' never both occur: empty cells are NULL by then).
const key = (t = ''): string =>
  ['user_id', 'email', 'anonymous_id', 'ext_kind', 'ext_value'].map((c) => `coalesce(${t}${c}, '')`).join(' || chr(31) || ');

/** One distinct combination of raw identifiers found on the file's good rows. */
export interface IdentityTuple {
  key: string;
  user_id: string | null;
  email: string | null;
  anonymous_id: string | null;
  ext_kind: string | null;
  ext_value: string | null;
  first_at: Date | null;
}

/** The distinct identifier tuples of the good rows, in order of first appearance in the file. */
export function identityTuples(tx: Queryable): Promise<IdentityTuple[]> {
  return tx.all<IdentityTuple>(
    `SELECT ${key()} AS key, user_id, email, anonymous_id, ext_kind, ext_value, min(placed_at) AS first_at
     FROM imp_rows
     WHERE error IS NULL AND NOT synthetic
       AND (user_id IS NOT NULL OR email IS NOT NULL OR anonymous_id IS NOT NULL OR ext_value IS NOT NULL)
     GROUP BY ALL ORDER BY min(line)`,
  );
}

/**
 * imp_lines: the good rows with the customer each belongs to. An order belongs to the customer of its
 * first line that has one (in a Shopify export every line carries the order's email anyway).
 */
export async function attachCustomers(tx: Queryable, keys: readonly string[], customerIds: readonly (string | null)[]): Promise<void> {
  await tx.run('DROP TABLE IF EXISTS imp_ids');
  await tx.run('CREATE TEMP TABLE imp_ids AS SELECT unnest($1::VARCHAR[]) AS key, unnest($2::VARCHAR[]) AS customer_id', [
    keys,
    customerIds,
  ]);
  await tx.run('DROP TABLE IF EXISTS imp_lines');
  await tx.run(
    `CREATE TEMP TABLE imp_lines AS
     WITH r AS (SELECT r.*, i.customer_id AS row_customer FROM imp_rows r LEFT JOIN imp_ids i ON i.key = ${key('r.')}
                WHERE r.error IS NULL)
     SELECT r.*, CASE WHEN order_id IS NULL THEN row_customer
       ELSE first_value(row_customer IGNORE NULLS) OVER (PARTITION BY order_id ORDER BY line
         ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) END AS customer_id
     FROM r`,
  );
}

/** imp_orders: one row per order of the file, with its event's properties ready. */
export async function buildOrders(tx: Queryable, format: string): Promise<void> {
  await tx.run('DROP TABLE IF EXISTS imp_orders');
  await tx.run(
    `CREATE TEMP TABLE imp_orders AS
     WITH numbered AS (
       SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY line, synthetic) AS line_no FROM imp_lines WHERE order_id IS NOT NULL
     ),
     o AS (
       SELECT order_id,
         first(coalesce(event_order_id, order_id) ORDER BY line_no) AS event_order_id,
         any_value(customer_id) AS customer_id,
         first(kind ORDER BY line_no) AS kind,
         min(placed_at) AS placed_at,
         sum(amount) AS revenue,
         first(currency ORDER BY line_no) FILTER (WHERE currency IS NOT NULL) AS currency,
         first(user_id ORDER BY line_no) FILTER (WHERE user_id IS NOT NULL) AS user_id,
         first(anonymous_id ORDER BY line_no) FILTER (WHERE anonymous_id IS NOT NULL) AS anonymous_id,
         first(order_props ORDER BY line_no) FILTER (WHERE order_props IS NOT NULL) AS order_props,
         coalesce(to_json(list(json_merge_patch('{}', json_object('product_id', product_id, 'name', product_name,
           'price', price::DOUBLE, 'quantity', quantity, 'category', category)) ORDER BY line_no)
           FILTER (WHERE line_type = 'product')), '[]'::JSON) AS products
       FROM numbered GROUP BY order_id
     )
     SELECT o.*, 'import:' || $1 || ':' || order_id AS message_id,
       CASE WHEN kind = 'refund' THEN 'Order Refunded' ELSE 'Order Completed' END AS event,
       json_merge_patch(coalesce(order_props, '{}'), json_merge_patch('{}', json_object('order_id', event_order_id,
         'revenue', revenue::DOUBLE, 'currency', currency, 'products', products))) AS properties,
       NOT EXISTS (SELECT 1 FROM orders x WHERE x.order_id = o.order_id) AS is_new
     FROM o`,
    [format],
  );
}

export interface OrderWrites {
  orders: number;
  refunds: number;
  orders_new: number;
  orders_already_present: number;
  events_new: number;
}

/** Writes the orders not yet in the store, their lines and their events; existing ones stay untouched. */
export async function writeOrders(tx: Queryable, source: string): Promise<OrderWrites> {
  const before = await tx.one<{ n: number }>('SELECT count(*) AS n FROM events');
  await tx.run(
    `INSERT INTO orders (order_id, customer_id, kind, placed_at, revenue, currency, message_id, source)
     SELECT order_id, customer_id, kind, placed_at, revenue, currency, message_id, $1 FROM imp_orders WHERE is_new`,
    [source],
  );
  await tx.run(
    `INSERT INTO order_lines (order_id, line_no, product_id, name, category, price, quantity, amount)
     SELECT order_id, row_number() OVER (PARTITION BY order_id ORDER BY line, synthetic), product_id, product_name,
       category, price, quantity, amount
     FROM imp_lines WHERE order_id IN (SELECT order_id FROM imp_orders WHERE is_new)`,
  );
  await tx.run(
    `INSERT INTO events (message_id, type, event, customer_id, user_id, anonymous_id, timestamp, received_at, properties, traits, context, source)
     SELECT message_id, 'track', event, customer_id, user_id, anonymous_id, placed_at, now()::TIMESTAMP, properties, NULL, NULL, $1
     FROM imp_orders WHERE is_new
     ON CONFLICT DO NOTHING`,
    [source],
  );
  const after = await tx.one<{ n: number }>('SELECT count(*) AS n FROM events');
  const c = await tx.one<Omit<OrderWrites, 'events_new'>>(
    `SELECT count(*) FILTER (WHERE kind = 'order') AS orders, count(*) FILTER (WHERE kind = 'refund') AS refunds,
       count(*) FILTER (WHERE is_new) AS orders_new, count(*) FILTER (WHERE NOT is_new) AS orders_already_present
     FROM imp_orders`,
  );
  return { ...c!, events_new: after!.n - before!.n };
}
