import { duckdbDialect } from '../../../segments/compiler/duckdb.js';
import type { Queryable } from '../../db.js';
import { textColumn } from '../identity-columns.js';

/**
 * What the real-time engine reads to build its per-customer state: in bulk (every customer, at start
 * and when definitions change) or for a few customers (after a commit). Table and column names come
 * from the segment catalog, which admits only plain identifiers; every value is a parameter.
 */

/** `ids` given: only those customers; else every customer. Returns the SQL filter and its parameter. */
function scope(ids: readonly string[] | undefined, column: string, index: number): { sql: string; params: string[] } {
  if (ids === undefined) return { sql: 'true', params: [] };
  const list = textColumn(index, ids);
  return { sql: `${column} IN (SELECT ${list.sql})`, params: [list.param as string] };
}

export interface CustomerHeadRow {
  customer_id: string;
  traits: string | null;
  merged_into: string | null;
}

/** Customers (merged-away ones too when ids are given: their merged_into says where they went). */
export async function customerHeads(db: Queryable, ids?: readonly string[]): Promise<CustomerHeadRow[]> {
  if (ids !== undefined && ids.length === 0) return [];
  const s = scope(ids, 'customer_id', 1);
  const live = ids === undefined ? 'merged_into IS NULL' : 'true';
  return db.all<CustomerHeadRow>(`SELECT customer_id, traits::VARCHAR AS traits, merged_into FROM customers WHERE ${live} AND ${s.sql}`, s.params);
}

/** The tables and views of the database, by name. */
export async function existingTables(db: Queryable): Promise<Set<string>> {
  const rows = await db.all<{ name: string }>(
    "SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main' UNION SELECT view_name FROM duckdb_views() WHERE schema_name = 'main'",
  );
  return new Set(rows.map((r) => r.name));
}

/** The columns of a catalog table (which must exist, see existingTables) for customers. */
export async function tableRows(db: Queryable, table: string, columns: readonly string[], ids?: readonly string[]): Promise<Record<string, unknown>[]> {
  if (ids !== undefined && ids.length === 0) return [];
  const s = scope(ids, 'customer_id', 1);
  const cols = columns.map((c) => `"${c}"`).join(', ');
  return db.all(`SELECT customer_id${cols ? `, ${cols}` : ''} FROM "${table}" WHERE ${s.sql}`, s.params);
}

export async function consentRows(
  db: Queryable,
  channels: readonly string[],
  ids?: readonly string[],
): Promise<{ customer_id: string; channel: string; status: string }[]> {
  if (channels.length === 0 || (ids !== undefined && ids.length === 0)) return [];
  const s = scope(ids, 'customer_id', 2);
  return db.all(`SELECT customer_id, channel, status FROM consent WHERE channel IN (SELECT unnest($1::VARCHAR[])) AND ${s.sql}`, [[...channels], ...s.params]);
}

/** The value of a property as aggregates read it: only a JSON number, exactly as the compiled SQL does. */
function numberAt(index: number, json = 'properties'): string {
  return duckdbDialect.jsonValue(json, `$${index}::VARCHAR`, 'number');
}

export interface StreamRow {
  customer_id: string;
  t: number;
  /** value columns v0, v1, ... */
  [column: `v${number}`]: number | null;
}

/** A compiled where clause over `e.properties` with placeholders $1..$n (compileEventWhere). */
export interface EventFilter {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * Events of one name (and where clause), for building a stream: time and value columns, read in SQL as
 * the compiled segment SQL reads them. `from` / `after`: only events at or after `from`, or after
 * `after` (events dated later than the build's as_of).
 */
export async function streamRows(
  db: Queryable,
  event: string,
  opts: { filter?: EventFilter; props: readonly (readonly string[])[]; from?: Date; after?: Date },
): Promise<StreamRow[]> {
  const params: unknown[] = [...(opts.filter?.parameters ?? [])];
  const name = `$${params.push(event)}::VARCHAR`;
  const values = opts.props.map((p, i) => `, ${numberAt(params.push(duckdbDialect.jsonPath(p)), 'e.properties')} AS v${i}`).join('');
  const time: string[] = [];
  if (opts.from) time.push(`e.timestamp >= $${params.push(opts.from)}::TIMESTAMP`);
  if (opts.after) time.push(`e.timestamp > $${params.push(opts.after)}::TIMESTAMP`);
  const when = time.length > 0 ? ` AND (${time.join(' OR ')})` : '';
  const where = opts.filter ? ` AND ${opts.filter.sql}` : '';
  return db.all<StreamRow>(
    `SELECT e.customer_id, epoch_ms(e.timestamp) AS t${values} FROM events e
     WHERE e.event = ${name} AND e.customer_id IS NOT NULL${when}${where} ORDER BY e.customer_id, e.timestamp`,
    params as never,
  );
}

export interface StreamSummaryRow {
  customer_id: string;
  count: number;
  first: number;
  [column: `n${number}` | `s${number}` | `lo${number}` | `hi${number}`]: number | null;
}

/**
 * Per customer, the summary of the events of one name (and where clause) before `before` and not
 * after `asOf`: what a stream folds away, computed in SQL so that an unwindowed count over millions of
 * events is not read event by event.
 */
export async function streamSummary(
  db: Queryable,
  event: string,
  opts: { filter?: EventFilter; props: readonly (readonly string[])[]; before: Date; asOf: Date },
): Promise<StreamSummaryRow[]> {
  const params: unknown[] = [...(opts.filter?.parameters ?? [])];
  const name = `$${params.push(event)}::VARCHAR`;
  const before = `$${params.push(opts.before)}::TIMESTAMP`;
  const asOf = `$${params.push(opts.asOf)}::TIMESTAMP`;
  const inner = opts.props.map((p, i) => `, ${numberAt(params.push(duckdbDialect.jsonPath(p)), 'e.properties')} AS p${i}`).join('');
  const outer = opts.props
    .map((_, i) => `, count(p${i}) AS n${i}, sum(p${i}) AS s${i}, min(p${i}) AS lo${i}, max(p${i}) AS hi${i}`)
    .join('');
  const where = opts.filter ? ` AND ${opts.filter.sql}` : '';
  return db.all<StreamSummaryRow>(
    `SELECT customer_id, count(*) AS count, min(epoch_ms(timestamp)) AS first${outer}
     FROM (SELECT e.customer_id, e.timestamp${inner} FROM events e
           WHERE e.event = ${name} AND e.customer_id IS NOT NULL AND e.timestamp < ${before} AND e.timestamp <= ${asOf}${where})
     GROUP BY customer_id`,
    params as never,
  );
}

/** How many events of a name a stream would hold (an upper bound: the where clause is not applied). */
export async function countStreamEvents(db: Queryable, event: string, from?: Date): Promise<number> {
  const row = await db.one<{ n: number }>(
    `SELECT count(*) AS n FROM events WHERE event = $1 AND customer_id IS NOT NULL${from ? ' AND timestamp >= $2::TIMESTAMP' : ''}`,
    from ? [event, from] : [event],
  );
  return row?.n ?? 0;
}
