import { noteEventWrite } from '../event-writes.js';
import type { Queryable } from '../../db.js';
import { settleImportedOrderIds } from '../orders.js';
import { withOneThread } from './threads.js';


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
    `SELECT ident_key AS key, user_id, email, anonymous_id, ext_kind, ext_value, min(placed_at) AS first_at
     FROM imp_rows
     WHERE error IS NULL AND NOT synthetic
       AND (user_id IS NOT NULL OR email IS NOT NULL OR anonymous_id IS NOT NULL OR ext_value IS NOT NULL)
     GROUP BY ALL ORDER BY min(line)`,
  );
}

/**
 * imp_lines: the good rows, each with the customer its own identifiers resolved to (a view: it is read
 * a few times, and a hash join on a few thousand keys is cheaper than copying every row).
 */
export async function attachCustomers(tx: Queryable, keys: readonly string[], customerIds: readonly (string | null)[]): Promise<void> {
  await tx.run('DROP TABLE IF EXISTS imp_ids');
  await tx.run('CREATE TEMP TABLE imp_ids (key VARCHAR, customer_id VARCHAR)');
  // Tuples that resolved to nobody are simply absent (the join leaves them NULL); and an empty list
  // cannot be bound, its item type being unknown.
  const resolved = keys.flatMap((k, i) => (customerIds[i] ? [[k, customerIds[i]!] as const] : []));
  if (resolved.length > 0) {
    await tx.run('INSERT INTO imp_ids SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[])', [
      resolved.map((r) => r[0]),
      resolved.map((r) => r[1]),
    ]);
  }
  await tx.run('DROP VIEW IF EXISTS imp_lines');
  await tx.run(
    `CREATE TEMP VIEW imp_lines AS
     SELECT r.*, i.customer_id FROM imp_rows r LEFT JOIN imp_ids i ON i.key = r.ident_key WHERE r.error IS NULL`,
  );
}

/**
 * imp_orders: one row per order of the file that the store does not have yet (orders are keyed by id,
 * so the others are left as they are), with the head of its event's properties (order_props, order_id,
 * revenue, currency). An order belongs to the customer of its first line that has one; it is placed at
 * its earliest line's time. The products[] of the properties are added as the events are written
 * (productsByOrder): held here for every order, they were most of this table's memory.
 */
export async function buildOrders(tx: Queryable, format: string): Promise<void> {
  await tx.run('DROP TABLE IF EXISTS imp_orders');
  await tx.run(
    `CREATE TEMP TABLE imp_orders AS
     WITH o AS (
       SELECT order_id,
         arg_min(coalesce(event_order_id, order_id), line) AS event_order_id,
         arg_min(customer_id, line) AS customer_id,
         arg_min(kind, line) AS kind,
         min(placed_at) AS placed_at,
         sum(amount) AS revenue,
         arg_min(currency, line) AS currency,
         -- ids that resolved to nobody (junk such as 'test' or '0') are not repeated on the event
         arg_min(CASE WHEN customer_id IS NOT NULL THEN user_id END, line) AS user_id,
         arg_min(CASE WHEN customer_id IS NOT NULL THEN anonymous_id END, line) AS anonymous_id,
         arg_min(order_props, line) AS order_props,
         count(*) AS line_count,
         min(line) AS first_line,
         max(line) AS last_line,
         -- its lines are numbered by their place in the file (line_no = line - first_line + 1) when they are
         -- the consecutive lines first_line..last of the file, each once, none a format's own row. A line
         -- of the file gives at most one row that is not a format's own (imp_rows, schema.ts), so with no
         -- synthetic row, as many rows as lines from first to last is each line once (a count of distinct
         -- lines here cost as much as the rest of this statement)
         count(*) = max(line) - min(line) + 1 AND NOT bool_or(synthetic) AS consecutive
       -- an order only a browser key claimed is not present: the import, a trusted source, replaces it
       FROM imp_lines WHERE order_id IS NOT NULL
         AND order_id NOT IN (SELECT order_id FROM orders WHERE order_id NOT IN (SELECT order_id FROM order_claims)) GROUP BY order_id
     )
     SELECT o.* EXCLUDE (order_props), 'import:' || $1 || ':' || order_id AS message_id,
       CASE WHEN kind = 'refund' THEN 'Order Refunded' ELSE 'Order Completed' END AS event,
       json_merge_patch(coalesce(order_props, '{}'), json_merge_patch('{}', json_object('order_id', event_order_id,
         'revenue', revenue::DOUBLE, 'currency', currency)))::VARCHAR AS head
     FROM o`,
    [format],
  );
}

/**
 * Per order of one slice of imp_orders, its product lines as the JSON text of products[] items, comma separated, in
 * line order. Built as text: members that are NULL are left out (concat_ws skips NULLs), and the lines
 * are not parsed and re-serialised as JSON on the way (the events column validates it once). Listed
 * with their line and put in line order per order afterwards (list_sort): an aggregate with its own
 * ORDER BY buffers and sorts every group apart, which cost most of the time of building them.
 */
const productsByOrder = (s: EventSlice): string => `
  SELECT order_id, array_to_string(list_transform(list_sort(list({'line': line, 'item': '{' || concat_ws(',',
      '"product_id":' || to_json(product_id), '"name":' || to_json(product_name), '"price":' || to_json(price::DOUBLE),
      '"quantity":' || to_json(quantity), '"category":' || to_json(category)) || '}'})), x -> x.item), ',') AS items
  FROM imp_rows
  WHERE error IS NULL AND line_kind = 'product' AND line BETWEEN ${s.lo} AND ${s.hi}
    AND order_id IN (SELECT order_id FROM imp_orders WHERE first_line BETWEEN ${s.from} AND ${s.to})
  GROUP BY order_id`;

/**
 * About how many lines' products[] items are built at once. What building a slice allocates is freed
 * before the next one but held meanwhile: on Online Retail, with slices of 100,000 or 50,000 lines the
 * import peaked while writing its events (400–409 MiB); with 25,000 its peak is elsewhere, under 385 MiB.
 */
export const LINES_PER_SLICE = 25_000;

/** The orders of one slice (first_line from..to) and the lines their rows lie between (lo..hi). */
export interface EventSlice {
  readonly from: number;
  readonly to: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * imp_orders cut into slices of about `linesPerSlice` lines, by their first line in the file: every
 * order is in exactly one slice, and its lines lie between the slice's lo and hi.
 */
export async function eventSlices(tx: Queryable, linesPerSlice = LINES_PER_SLICE): Promise<EventSlice[]> {
  const t = (await tx.one<{ lines: number | bigint | null; first: number | bigint | null; last: number | bigint | null }>(
    'SELECT sum(line_count) AS lines, min(first_line) AS first, max(first_line) AS last FROM imp_orders',
  ))!;
  if (t.first === null || t.last === null) return [];
  const slices = Math.max(1, Math.ceil(Number(t.lines) / linesPerSlice));
  const step = Math.ceil((Number(t.last) - Number(t.first) + 1) / slices);
  const rows = await tx.all<{ from: number | bigint; to: number | bigint; hi: number | bigint }>(
    `SELECT min(first_line) AS "from", max(first_line) AS "to", max(last_line) AS hi
     FROM imp_orders GROUP BY (first_line - $1::BIGINT) // $2::BIGINT ORDER BY 1`,
    [Number(t.first), step],
  );
  return rows.map((r) => {
    // A slice's lines start at its first order's first line: lo is from.
    const slice = { from: Number(r.from), to: Number(r.to), lo: Number(r.from), hi: Number(r.hi) };
    if (!Object.values(slice).every(Number.isSafeInteger)) throw new Error(`line bounds out of range: ${JSON.stringify(slice)}`);
    return slice;
  });
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
  await settleImportedOrderIds(tx, source);
  await tx.run(
    `INSERT INTO orders (order_id, customer_id, kind, placed_at, revenue, currency, message_id, source)
     SELECT order_id, customer_id, kind, placed_at, revenue, currency, message_id, $1 FROM imp_orders`,
    [source],
  );
  // An order's lines are numbered 1..n in the order of the file (line, then a format's own rows). Orders
  // whose lines are consecutive lines of the file (nearly all) take line - first_line + 1, which is the
  // same number without sorting; the others are numbered by a window.
  await tx.run(
    `INSERT INTO order_lines (order_id, line_no, product_id, name, category, price, quantity, amount, kind)
     SELECT order_id, r.line - o.first_line + 1, product_id, product_name, category, price, quantity, amount, line_kind
     -- imp_lines without its customer join (a line carries no customer): the good rows of imp_rows
     FROM imp_rows r JOIN (SELECT order_id, first_line FROM imp_orders WHERE consecutive) o USING (order_id)
     WHERE r.error IS NULL
     UNION ALL
     SELECT order_id, row_number() OVER (PARTITION BY order_id ORDER BY line, synthetic), product_id, product_name,
       category, price, quantity, amount, line_kind
     FROM imp_rows WHERE error IS NULL AND order_id IN (SELECT order_id FROM imp_orders WHERE NOT consecutive)`,
  );
  // An event of a new order can already be stored (its order removed since, or a live event that took its
  // id): those are kept as they are. When none is, the events go in by a plain INSERT: ON CONFLICT keeps
  // a second copy of what it inserts in the transaction's storage until the commit (measured on Online
  // Retail's 25,900 events: about 120 MiB instead of 60).
  const taken = await tx.one<{ n: number }>('SELECT count(*) AS n FROM events WHERE message_id IN (SELECT message_id FROM imp_orders)');
  const onConflict = taken!.n > 0 ? 'ON CONFLICT DO NOTHING' : '';
  // The events are written in slices of orders: the products[] of every order at once (half a million
  // items for Online Retail) made the largest allocation of the import. A slice is the orders whose
  // first line falls in a range of the file, so its rows lie between its first and last lines, and the
  // scan of imp_rows skips the rest of the file (min/max of each row group).
  // One thread appends them: over several, the events held twice the memory until the commit (threads.ts).
  // And every slice is one statement of a single call: each call runs on one of the driver's worker
  // threads (libuv's pool), and glibc's malloc keeps what a thread freed in that thread's own arena, so
  // slices on different threads each left their garbage in another arena (resident memory grew by about
  // 165 MiB over Online Retail's events, against about 85 on one thread). A call of several statements
  // binds no parameter: the source is read from a table.
  await tx.run('CREATE OR REPLACE TEMP TABLE imp_event_source AS SELECT $1::VARCHAR AS source', [source]);
  await withOneThread(tx, async () => {
    // The bounds are written into the statements (they are line numbers, safe integers checked by
    // eventSlices), so that the scan can skip the row groups outside them.
    const inserts = (await eventSlices(tx)).map(
      (s) => `INSERT INTO events (message_id, type, event, customer_id, user_id, anonymous_id, timestamp, received_at, properties, traits, context, source)
         SELECT message_id, 'track', event, customer_id, user_id, anonymous_id, placed_at, now()::TIMESTAMP,
           left(head, -1) || CASE WHEN head = '{}' THEN '' ELSE ',' END || '"products":[' || coalesce(p.items, '') || ']}', NULL, NULL,
           (SELECT source FROM imp_event_source)
         FROM (SELECT * FROM imp_orders WHERE first_line BETWEEN ${s.from} AND ${s.to}) o LEFT JOIN (${productsByOrder(s)}) p USING (order_id)
         ${onConflict}`,
    );
    if (inserts.length > 0) await tx.run(inserts.join(';\n'));
  });
  await tx.run('DROP TABLE imp_event_source');
  const after = await tx.one<{ n: number }>('SELECT count(*) AS n FROM events');
  // In-memory filters of stored message ids read the table again (event-writes.ts).
  noteEventWrite();
  // The file's orders and refunds, new or not: an order is a refund when its first line says so (the
  // good rows of imp_rows: imp_lines without its customer join, one row for each).
  const c = await tx.one<Omit<OrderWrites, 'events_new' | 'orders_already_present'>>(
    `WITH f AS (SELECT order_id, arg_min(kind, line) AS kind FROM imp_rows WHERE error IS NULL AND order_id IS NOT NULL GROUP BY order_id)
     SELECT count(*) FILTER (WHERE kind = 'order') AS orders, count(*) FILTER (WHERE kind = 'refund') AS refunds,
       (SELECT count(*) FROM imp_orders) AS orders_new
     FROM f`,
  );
  const present = c!.orders + c!.refunds - c!.orders_new;
  return { ...c!, orders_already_present: present, events_new: after!.n - before!.n };
}
