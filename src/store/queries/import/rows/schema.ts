import type { Param, Queryable } from '../../../db.js';
import { lineKindSql, NAME_KEY, type LineKindOverride, type LineRules } from '../kinds.js';
import { Binds } from './sql.js';

/**
 * imp_rows: the file's rows in one shape, whatever the format. One row per order line (or per customer
 * for customer exports), plus `synthetic` rows a format adds (a Shopify discount or refund) that are not
 * lines of the file. `error` set means the row is skipped and reported.
 *
 * line_kind: what the line is (domain/line-kinds.ts): a format sets it where it knows (a Shopify
 * discount or refund line), classifyLines() applies the format's rules and the user's overrides.
 * Only product lines are listed in the event's products[]; every line counts towards revenue.
 * ident_key identifies the row's tuple of raw identifiers.
 */
export async function createRowsTable(tx: Queryable): Promise<void> {
  await tx.run('DROP TABLE IF EXISTS imp_rows');
  await tx.run(`CREATE TEMP TABLE imp_rows (
    line BIGINT NOT NULL,
    synthetic BOOLEAN NOT NULL DEFAULT false,
    error VARCHAR,
    order_id VARCHAR,
    event_order_id VARCHAR,
    kind VARCHAR,
    placed_at TIMESTAMP,
    line_kind VARCHAR NOT NULL DEFAULT 'product',
    product_id VARCHAR,
    product_name VARCHAR,
    category VARCHAR,
    price DECIMAL(18,4),
    quantity DOUBLE,
    amount DECIMAL(18,4),
    currency VARCHAR,
    user_id VARCHAR,
    email VARCHAR,
    anonymous_id VARCHAR,
    ext_kind VARCHAR,
    ext_value VARCHAR,
    traits JSON,
    consent_email VARCHAR,
    consent_sms VARCHAR,
    consent_push VARCHAR,
    consent_ads VARCHAR,
    -- the time of the row's data (its traits and consent): the format's own, else placed_at, else the file's
    data_at TIMESTAMP,
    order_props JSON,
    ident_key VARCHAR
  )`);
}

/** A format's rows: a SELECT over imp_raw whose columns are named like imp_rows' (any subset). */
export interface RowsQuery {
  readonly sql: string;
  readonly params: readonly Param[];
}

// One text key per identifier tuple, computed once per row here and joined on later (NULL and ''
// never both occur: empty cells are NULL by then).
export const IDENTIFIER_COLUMNS = ['user_id', 'email', 'anonymous_id', 'ext_kind', 'ext_value'] as const;
const KEY = IDENTIFIER_COLUMNS.map((c) => `coalesce(${c}, '')`).join(' || chr(31) || ');

// A format emits only the columns it has; the union by name supplies the others as NULL. The kind
// rules read the product columns and the format's own kind, so they are always present.
const ALL_COLUMNS = `SELECT ${IDENTIFIER_COLUMNS.map((c) => `NULL::VARCHAR AS ${c}`).join(', ')},
  NULL::BOOLEAN AS synthetic, NULL::VARCHAR AS line_kind, NULL::VARCHAR AS product_id, NULL::VARCHAR AS product_name WHERE false`;

/**
 * Writes a format's rows into imp_rows, each with its identifier key and its line kind (kinds.ts:
 * the format's rules and the user's overrides, applied here as the rows are written).
 */
export async function fillRows(tx: Queryable, q: RowsQuery, rules: LineRules, overrides: readonly LineKindOverride[]): Promise<void> {
  const binds = new Binds();
  binds.values.push(...q.params);
  const kind = lineKindSql(rules, overrides, binds, "coalesce(line_kind, 'product')");
  const rows = `SELECT * REPLACE (coalesce(synthetic, false) AS synthetic) FROM ((${q.sql}) UNION ALL BY NAME (${ALL_COLUMNS}))`;
  const named = kind.needsNameKey ? `SELECT *, ${NAME_KEY} AS imp_name_key FROM (${rows})` : rows;
  await tx.run(
    `INSERT INTO imp_rows BY NAME
     SELECT * EXCLUDE (line_kind${kind.needsNameKey ? ', imp_name_key' : ''}), ${kind.expr} AS line_kind, ${KEY} AS ident_key FROM (${named})`,
    binds.values,
  );
}
