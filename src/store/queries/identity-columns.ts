import type { Param, Queryable } from '../db.js';

const SEP = '\u001e';
const NULL = '\u001f';

/**
 * Bulk rows travel as one parameter per column. Binding a LIST costs a conversion per value, so a
 * column is sent as one string joined by the record separator and split in SQL, which is several times
 * faster for 10^5 values. NULL travels as the unit separator (a LIST parameter would type itself by its
 * first element, which a NULL makes useless). A column whose values contain either control character, or
 * that is empty, travels as a JSON array instead.
 */
export function textColumn(index: number, values: readonly (string | null | undefined)[]): { sql: string; param: Param } {
  // A value holding either separator (even one equal to the NULL mark) cannot travel joined; nor can a
  // list of one empty string, which string_split reads as no element at all.
  const clean = values.every((v) => v === null || v === undefined || (!v.includes(SEP) && !v.includes(NULL))) && !(values.length === 1 && values[0] === '');
  if (clean && values.length > 0) {
    return { sql: `nullif(unnest(string_split($${index}::VARCHAR, chr(30))), chr(31))`, param: values.map((v) => (v === null || v === undefined ? NULL : v)).join(SEP) };
  }
  // JSON keeps every string and NULL exactly; slower to decode, so only for these rare columns.
  return { sql: `unnest(from_json($${index}::VARCHAR, '["VARCHAR"]'))`, param: JSON.stringify(values.map((v) => v ?? null)) };
}

/** Timestamps as ISO text, cast back in SQL. */
export function timeColumn(index: number, values: readonly (Date | null | undefined)[]): { sql: string; param: Param } {
  const c = textColumn(index, values.map((d) => (d ? d.toISOString() : null)));
  return { sql: `(${c.sql})::TIMESTAMP`, param: c.param };
}

/**
 * A SELECT producing one row per element of the given columns, zipped by position, with the columns
 * named as given: `SELECT a, b FROM (<this>)`.
 */
export function zipColumns(columns: readonly { name: string; sql: string }[]): string {
  // Names come from our own code, never from user data.
  return `SELECT ${columns.map((c) => `${c.sql} AS ${c.name}`).join(', ')}`;
}

export type ColumnSpec =
  | { readonly name: string; readonly type: 'text'; readonly values: readonly (string | null | undefined)[] }
  | { readonly name: string; readonly type: 'time'; readonly values: readonly (Date | null | undefined)[] }
  | { readonly name: string; readonly type: 'bool'; readonly values: readonly boolean[] }
  | { readonly name: string; readonly type: 'number'; readonly values: readonly (number | null | undefined)[] }
  | { readonly name: string; readonly type: 'json'; readonly values: readonly (string | null | undefined)[] };

/** Packs columns of equal length into a zipped SELECT and its parameters, numbered from firstIndex. */
export function packRows(columns: readonly ColumnSpec[], firstIndex = 1): { select: string; params: Param[] } {
  const params: Param[] = [];
  const parts: { name: string; sql: string }[] = [];
  columns.forEach((c, i) => {
    const index = firstIndex + i;
    let packed: { sql: string; param: Param };
    switch (c.type) {
      case 'text':
        packed = textColumn(index, c.values);
        break;
      case 'json': {
        const t = textColumn(index, c.values);
        packed = { sql: `(${t.sql})::JSON`, param: t.param };
        break;
      }
      case 'time':
        packed = timeColumn(index, c.values);
        break;
      case 'bool': {
        const t = textColumn(index, c.values.map((b) => (b ? 'true' : 'false')));
        packed = { sql: `(${t.sql})::BOOLEAN`, param: t.param };
        break;
      }
      case 'number': {
        // Shortest round-trip text of a double, so nothing is lost on the way.
        const t = textColumn(index, c.values.map((n) => (n === null || n === undefined ? null : String(n))));
        packed = { sql: `(${t.sql})::DOUBLE`, param: t.param };
        break;
      }
    }
    params.push(packed.param);
    parts.push({ name: c.name, sql: packed.sql });
  });
  return { select: zipColumns(parts), params };
}

/** Keys per statement of an index lookup (pointLookup): small enough that planning stays cheap. */
export const POINT_CHUNK = 64;

/**
 * The placeholder list `$first, …, $(first + n − 1)` of n keys sent as constants: `col IN (list)` as a
 * scan's only filter is what DuckDB answers from an ART index (see pointLookup).
 */
export function placeholderList(n: number, first = 1): string {
  return Array.from({ length: n }, (_, j) => `$${j + first}`).join(', ');
}

/**
 * Measured in CPU time on a shop of 2,000,000 events whose message ids are spread like real ones
 * (bench/realtime.ts's base): a key looked up through the index costs about 0.07 ms, while a scan of the
 * message ids costs 16 ms for 50 ids and 44 ms for 400; so the index wins up to about one key per 2,000
 * rows. (Ids that all sort apart from the stored ones, such as one sender's sequence numbers, let the
 * scan skip most of the table by its min/max, and the index wins less.)
 */
const POINT_ROWS_PER_KEY = 2000;

/** How long a table's row count guides the choice of plan before it is counted again (ms). */
const COUNT_TTL_MS = 5_000;
const counted = new Map<string, { rows: number; at: number }>();

/** Forgets the row counts preferPointLookup keeps, so the next choice counts again (for tests that check the plan). */
export function forgetRowCounts(): void {
  counted.clear();
}

/**
 * Whether looking `keys` keys up in `table`'s index costs less than scanning the table: when the table
 * holds at least POINT_ROWS_PER_KEY rows per key. The count is DuckDB's (from its statistics, no scan),
 * kept for a few seconds per table name: a live commit then pays no statement for it. Only the plan
 * depends on this, never the result, so a count from an older moment or another database is harmless.
 * `table` is a name from our own code.
 */
export async function preferPointLookup(db: Queryable, table: string, keys: number): Promise<boolean> {
  if (keys === 0) return false;
  const now = Date.now();
  let c = counted.get(table);
  if (!c || now - c.at > COUNT_TTL_MS) {
    const row = await db.one<{ n: bigint | number }>(`SELECT count(*) AS n FROM ${table}`);
    c = { rows: Number(row?.n ?? 0), at: now };
    counted.set(table, c);
  }
  return c.rows >= keys * POINT_ROWS_PER_KEY;
}

/**
 * Rows of `sqlOf(list)` for every key, where `list` is the placeholder list `$1, …, $n` of one slice of
 * the keys (POINT_CHUNK per statement) and the statement filters `pk IN (list)`. DuckDB serves such a list
 * from the primary key's ART index (an Index Scan), while it answers a join, or `IN` over an unnested
 * list parameter, by scanning the whole table: so a lookup costs in proportion to the keys, not to the
 * table. The keys travel as placeholders, never as SQL text. A key given twice is looked up once.
 */
export async function pointLookup<T>(db: Queryable, keys: readonly string[], sqlOf: (list: string) => string): Promise<T[]> {
  const distinct = [...new Set(keys)];
  const out: T[] = [];
  for (let i = 0; i < distinct.length; i += POINT_CHUNK) {
    const slice = distinct.slice(i, i + POINT_CHUNK);
    const rows = await db.all<T>(sqlOf(placeholderList(slice.length)), slice);
    for (const r of rows) out.push(r);
  }
  return out;
}

/** How keyLookup reads: through the primary-key index (pointLookup) or by one scan per slice of keys. */
export type LookupPlan = 'index' | 'scan';

/** Keys per statement of the scan plan, so that one statement's parameter stays a few megabytes. */
const SCAN_SLICE = 100_000;

/**
 * The rows of `table` whose key is among `keys`: `sqlOf(ids)` is a statement of this module's code that
 * filters `key IN (ids)`, where ids is SQL text of ours (a placeholder list, or a SELECT over a packed
 * text column: keys never become SQL text). The plan is the index (pointLookup) when the keys are few
 * against the table (preferPointLookup), else one scan per SCAN_SLICE keys; `plan` forces one, for the
 * tests that prove both give the same rows. A key given twice is looked up once, so no row comes twice.
 */
export async function keyLookup<T>(db: Queryable, table: string, keys: readonly string[], sqlOf: (ids: string) => string, plan?: LookupPlan): Promise<T[]> {
  if (keys.length === 0) return [];
  const chosen = plan ?? ((await preferPointLookup(db, table, keys.length)) ? 'index' : 'scan');
  if (chosen === 'index') return pointLookup<T>(db, keys, sqlOf);
  const distinct = [...new Set(keys)];
  const out: T[] = [];
  for (let i = 0; i < distinct.length; i += SCAN_SLICE) {
    const list = textColumn(1, distinct.slice(i, i + SCAN_SLICE));
    const rows = await db.all<T>(sqlOf(`SELECT ${list.sql}`), [list.param]);
    for (const r of rows) out.push(r);
  }
  return out;
}
