import type { Store } from '../../db.js';
import { noteEventWrite } from '../event-writes.js';
import { noteIdentityWrite } from '../identity-writes.js';

export type DemoTableFile = 'customers' | 'identities' | 'events' | 'orders' | 'order_lines' | 'consent';

// How read_csv sees the demo's tab-separated chunk files: no quoting (the generator never writes a tab
// or newline inside a value), an empty field is NULL, and times are epoch seconds.
const TSV = "delim='\\t', quote='', escape='', header=false, auto_detect=false, nullstr=''";
const ts = (col: string) => `make_timestamp(${col} * 1000000)`;

/** One INSERT … SELECT per table (see loadDemoChunk for ON CONFLICT). */
const LOAD: Record<DemoTableFile, string> = {
  customers: `INSERT INTO customers
    SELECT customer_id, ${ts('created')}, ${ts('updated')}, traits, NULL
    FROM read_csv($1, ${TSV}, columns={'customer_id':'VARCHAR','created':'BIGINT','updated':'BIGINT','traits':'VARCHAR'})
    `,
  identities: `INSERT INTO identities
    SELECT kind, value, customer_id, ${ts('first_seen')}
    FROM read_csv($1, ${TSV}, columns={'kind':'VARCHAR','value':'VARCHAR','customer_id':'VARCHAR','first_seen':'BIGINT'})
    `,
  events: `INSERT INTO events
    SELECT message_id, type, event, customer_id, user_id, anonymous_id, ${ts('ts')}, ${ts('received')},
      properties, traits, CASE WHEN context > 0 THEN list_extract($2::VARCHAR[], context) END, 'demo'
    FROM read_csv($1, ${TSV}, columns={'message_id':'VARCHAR','type':'VARCHAR','event':'VARCHAR','customer_id':'VARCHAR',
      'user_id':'VARCHAR','anonymous_id':'VARCHAR','ts':'BIGINT','received':'BIGINT','properties':'VARCHAR',
      'traits':'VARCHAR','context':'INTEGER'})
    `,
  orders: `INSERT INTO orders
    SELECT order_id, customer_id, kind, ${ts('placed')}, revenue, currency, message_id, 'demo'
    FROM read_csv($1, ${TSV}, columns={'order_id':'VARCHAR','customer_id':'VARCHAR','kind':'VARCHAR','placed':'BIGINT',
      'revenue':'DECIMAL(18,4)','currency':'VARCHAR','message_id':'VARCHAR'})
    `,
  order_lines: `INSERT INTO order_lines (order_id, line_no, product_id, name, category, price, quantity, amount)
    SELECT order_id, line_no, product_id, name, category, price, quantity, amount
    FROM read_csv($1, ${TSV}, columns={'order_id':'VARCHAR','line_no':'INTEGER','product_id':'VARCHAR','name':'VARCHAR',
      'category':'VARCHAR','price':'DECIMAL(18,4)','quantity':'DOUBLE','amount':'DECIMAL(18,4)'})
    `,
  consent: `INSERT INTO consent
    SELECT customer_id, channel, status, ${ts('updated')}, 'demo'
    FROM read_csv($1, ${TSV}, columns={'customer_id':'VARCHAR','channel':'VARCHAR','status':'VARCHAR','updated':'BIGINT'})
    `,
};

/**
 * Loads one chunk's files (table → path) in one transaction, so a chunk is in the store whole or not at
 * all. Events name their context by code: contexts[code - 1] is the JSON stored.
 *
 * With skipExisting, rows whose key is already there are skipped (ON CONFLICT DO NOTHING; for order
 * lines, which have no key constraint, by their order id and line number): every key is
 * derived from the seed, so completing an interrupted demo inserts only what is missing. A first load
 * goes without it, as the conflict check costs time and can find nothing.
 */
// order_lines has no key to conflict on (migration 16): the lines already stored are left out by key.
const SKIP_STORED_LINES = 'AS src WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = src.order_id AND l.line_no = src.line_no)';

export async function loadDemoChunk(
  store: Store,
  files: ReadonlyArray<readonly [DemoTableFile, string]>,
  contexts: readonly string[],
  skipExisting: boolean,
): Promise<void> {
  await store.transaction(async (tx) => {
    for (const [table, path] of files) {
      const sql = !skipExisting ? LOAD[table] : table === 'order_lines' ? `${LOAD[table]} ${SKIP_STORED_LINES}` : `${LOAD[table]} ON CONFLICT DO NOTHING`;
      await tx.run(sql, table === 'events' ? [path, contexts] : [path]);
    }
    noteIdentityWrite();
    noteEventWrite();
  });
}
