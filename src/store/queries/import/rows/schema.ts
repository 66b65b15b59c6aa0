import type { ColumnQueryable, Param, Queryable } from '../../../db.js';
import { lineKindSql, type LineKindOverride, type LineRules } from '../kinds.js';
import { Binds } from './sql.js';
import { STAGED_ROWS } from './staged.js';

/**
 * imp_rows: the file's rows in one shape, whatever the format. One row per order line (or per customer
 * for customer exports), plus `synthetic` rows a format adds (a Shopify discount or refund) that are not
 * lines of the file. `error` set means the row is skipped and reported. A line of the file gives at most
 * one row that is not synthetic (a format's SELECT reads imp_raw, one row per line, and adds only
 * synthetic rows): write.ts numbers an order's lines by their place in the file on that ground.
 *
 * line_kind: what the line is (domain/line-kinds.ts): a format sets it where it knows (a Shopify
 * discount or refund line), the format's rules and the user's overrides decide the others (kinds.ts).
 * Only product lines are listed in the event's products[]; every line counts towards revenue.
 * ident_key identifies the row's tuple of raw identifiers.
 */
const ROW_COLUMNS: ReadonlyArray<readonly [name: string, type: string]> = [
  ['line', 'BIGINT NOT NULL'],
  ['synthetic', 'BOOLEAN NOT NULL'],
  ['error', 'VARCHAR'],
  ['order_id', 'VARCHAR'],
  // the order whose event the row belongs to (a Shopify refund's own order); NULL: order_id itself
  ['event_order_id', 'VARCHAR'],
  ['kind', 'VARCHAR'],
  ['placed_at', 'TIMESTAMP'],
  ['line_kind', 'VARCHAR NOT NULL'],
  ['product_id', 'VARCHAR'],
  ['product_name', 'VARCHAR'],
  ['category', 'VARCHAR'],
  ['price', 'DECIMAL(18,4)'],
  ['quantity', 'DOUBLE'],
  ['amount', 'DECIMAL(18,4)'],
  ['currency', 'VARCHAR'],
  ['user_id', 'VARCHAR'],
  ['email', 'VARCHAR'],
  ['anonymous_id', 'VARCHAR'],
  ['ext_kind', 'VARCHAR'],
  ['ext_value', 'VARCHAR'],
  ['traits', 'JSON'],
  ['consent_email', 'VARCHAR'],
  ['consent_sms', 'VARCHAR'],
  ['consent_push', 'VARCHAR'],
  ['consent_ads', 'VARCHAR'],
  // the time of the row's data (its traits and consent): the format's own, else placed_at, else the file's
  ['data_at', 'TIMESTAMP'],
  ['order_props', 'JSON'],
  ['ident_key', 'VARCHAR'],
];

// Always stored: written here for every row (line, synthetic, line_kind, ident_key) or updated later
// (error by whole-orders.ts, data_at by dates.ts).
const ALWAYS_STORED = new Set(['line', 'synthetic', 'error', 'line_kind', 'data_at', 'ident_key']);

/**
 * Creates the rows' table (STAGED_ROWS, in the import's own database: staged.ts) with a stored column for each column the format gives and a virtual NULL one for
 * each it does not (a Shopify customers export has no order columns; Online Retail no email or
 * consent): an empty column of half a million rows would still hold memory until the import commits.
 */
async function createRowsTable(tx: Queryable, stored: ReadonlySet<string>): Promise<void> {
  await tx.run(`DROP TABLE IF EXISTS ${STAGED_ROWS}`);
  const columns = ROW_COLUMNS.map(([name, type]) =>
    stored.has(name) ? `${name} ${type}` : `${name} ${type.replace(' NOT NULL', '')} GENERATED ALWAYS AS (NULL::${type}) VIRTUAL`,
  );
  await tx.run(`CREATE TABLE ${STAGED_ROWS} (${columns.join(', ')})`);
}

/** A format's rows: a SELECT over imp_raw whose columns are named like imp_rows' (any subset). */
export interface RowsQuery {
  readonly sql: string;
  readonly params: readonly Param[];
}

// One text key per identifier tuple, computed once per row here and joined on later (NULL and ''
// never both occur: empty cells are NULL by then).
export const IDENTIFIER_COLUMNS = ['user_id', 'email', 'anonymous_id', 'ext_kind', 'ext_value'] as const;
/**
 * The key over the identifier columns a format gives, separated by chr(31) (the others are NULL: '' in
 * the key). One concat() call, which reads NULL as '': the same text as coalescing each column and
 * joining them with ||, without a string built for every step (about 100 ms of CPU on Online Retail's
 * 541,909 rows).
 */
export const keyOf = (given: readonly string[]): string =>
  `concat(${IDENTIFIER_COLUMNS.map((c) => (given.includes(c) ? c : "''")).join(', chr(31), ')})`;

// A format emits only the columns it has; the union by name supplies the others as NULL. The kind
// rules read the product columns and the format's own kind, so they are always present.
const ALL_COLUMNS = `SELECT ${IDENTIFIER_COLUMNS.map((c) => `NULL::VARCHAR AS ${c}`).join(', ')},
  NULL::BOOLEAN AS synthetic, NULL::VARCHAR AS line_kind, NULL::VARCHAR AS product_id, NULL::VARCHAR AS product_name,
  NULL::VARCHAR AS error, NULL::TIMESTAMP AS data_at WHERE false`;

/**
 * Creates the rows' table (STAGED_ROWS, in the database attached by attachRowsDatabase) and writes a
 * format's rows into it, each with its identifier key and its line kind (kinds.ts:
 * the format's rules and the user's overrides, applied here as the rows are written).
 */
export async function fillRows(tx: ColumnQueryable, q: RowsQuery, rules: LineRules, overrides: readonly LineKindOverride[]): Promise<void> {
  const given = (await tx.columns(`SELECT * FROM (${q.sql}) LIMIT 0`, q.params)).names;
  const stored = ROW_COLUMNS.map(([name]) => name).filter((c) => ALWAYS_STORED.has(c) || given.includes(c));
  await createRowsTable(tx, new Set(stored));
  const binds = new Binds();
  binds.values.push(...q.params);
  const kind = lineKindSql(rules, overrides, binds, "coalesce(line_kind, 'product')");
  const rows = `SELECT * FROM ((${q.sql}) UNION ALL BY NAME (${ALL_COLUMNS}))`;
  const keys = Object.entries(kind.keys).map(([alias, expr]) => `, ${expr} AS ${alias}`).join('');
  // data_at falls back to the order's time here; dates.ts gives the rows without either the file's time.
  const dataAt = given.includes('placed_at') ? 'coalesce(data_at, placed_at) AS data_at' : 'data_at';
  const value = (c: string): string =>
    c === 'synthetic' ? 'coalesce(synthetic, false) AS synthetic'
    : c === 'line_kind' ? `${kind.expr} AS line_kind`
    : c === 'ident_key' ? `${keyOf(given)} AS ident_key`
    : c === 'data_at' ? dataAt
    : c;
  await tx.run(
    `INSERT INTO ${STAGED_ROWS} BY NAME SELECT ${stored.map(value).join(', ')} FROM (SELECT *${keys} FROM (${rows}))`,
    binds.values,
  );
}
