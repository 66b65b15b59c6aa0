import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBDataChunk as Chunk, DuckDBResult, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type * as Bindings from '@duckdb/node-bindings';
import { SegmintError } from '../domain/errors.js';

// Required, not imported, for the start-up reason given in db.ts. The bindings are node-api's own C API
// layer (the same version, installed with it): they copy a whole vector of numbers in or out at once,
// where node-api's vectors get or set one value per call (bulkNumbers, appendColumns).
const require = createRequire(import.meta.url);
const { DuckDBDataChunk, DuckDBTypeId, JSDuckDBValueConverter } = require('@duckdb/node-api') as typeof DuckDB;
const bindings = require('@duckdb/node-bindings') as typeof Bindings;

/**
 * A query result held column by column, as bulk work wants it: a million customers come back as a few
 * arrays rather than a million row objects. Numeric columns (integers, decimals, floats of any width) are
 * doubles in a Float64Array with SQL NULL as NaN; every other column is an array of the values the row API
 * gives (text as strings, times as Date, NULL as null).
 */
export class Columns {
  constructor(
    /** Number of rows. */
    readonly length: number,
    private readonly byName: ReadonlyMap<string, Float64Array | unknown[]>,
  ) {}

  /** Column names in the order of the SELECT. */
  get names(): string[] {
    return [...this.byName.keys()];
  }

  /** A numeric column as doubles (NULL → NaN). Throws when the column is missing or not numeric. */
  numbers(name: string): Float64Array {
    const column = this.byName.get(name);
    if (!(column instanceof Float64Array)) throw new Error(`result column ${name} is ${column ? 'not numeric' : 'missing'}`);
    return column;
  }

  /** A non-numeric column as JS values. Throws when the column is missing or numeric. */
  values<T = unknown>(name: string): T[] {
    const column = this.byName.get(name);
    if (!Array.isArray(column)) throw new Error(`result column ${name} is ${column ? 'numeric: use numbers()' : 'missing'}`);
    return column as T[];
  }
}

const NUMERIC = new Set<number>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.DECIMAL,
]);

function toDouble(v: DuckDBValue): number {
  if (v === null) return NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return (v as DuckDB.DuckDBDecimalValue).toDouble();
}

/**
 * Copies a DOUBLE, BIGINT or INTEGER column of a result chunk into out (NULL → NaN) straight from the
 * vector's memory; false for other types, which go value by value. Vectors of a fetched chunk are flat
 * (the C API flattens them), so item i is at offset i.
 */
function bulkNumbers(chunk: Chunk, c: number, typeId: number, n: number, out: Float64Array): boolean {
  const raw = bindings.data_chunk_get_vector(chunk.chunk, c);
  if (typeId === DuckDBTypeId.DOUBLE) {
    const bytes = bindings.vector_get_data(raw, n * 8);
    out.set(new Float64Array(bytes.buffer, bytes.byteOffset, n));
  } else if (typeId === DuckDBTypeId.BIGINT) {
    const bytes = bindings.vector_get_data(raw, n * 8);
    const items = new BigInt64Array(bytes.buffer, bytes.byteOffset, n);
    for (let i = 0; i < n; i++) out[i] = Number(items[i]);
  } else if (typeId === DuckDBTypeId.INTEGER) {
    const bytes = bindings.vector_get_data(raw, n * 4);
    out.set(new Int32Array(bytes.buffer, bytes.byteOffset, n));
  } else return false;
  // The validity mask: bit i (little-endian 64-bit words, so byte i/8, bit i%8) is 1 for a value, 0 for
  // NULL; no mask at all means no NULL in the vector.
  const valid = bindings.vector_get_validity(raw, Math.ceil(n / 64) * 8);
  if (valid) {
    for (let k = 0; k < valid.length && k * 8 < n; k++) {
      const byte = valid[k] as number;
      if (byte === 0xff) continue;
      for (let j = 0; j < 8 && k * 8 + j < n; j++) if (!((byte >> j) & 1)) out[k * 8 + j] = NaN;
    }
  }
  return true;
}

/** Reads a whole result chunk by chunk into Columns, converting each value once, straight into its column. */
export async function readColumns(result: DuckDBResult): Promise<Columns> {
  const names = result.deduplicatedColumnNames();
  const types: DuckDBType[] = result.columnTypes();
  const numeric = types.map((t) => NUMERIC.has(t.typeId));
  const parts: (Float64Array | unknown[])[][] = names.map(() => []);
  let length = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    for (let c = 0; c < names.length; c++) {
      if (numeric[c]) {
        const out = new Float64Array(n);
        if (!bulkNumbers(chunk, c, (types[c] as DuckDBType).typeId, n, out)) {
          const vector = chunk.getColumnVector(c);
          for (let i = 0; i < n; i++) out[i] = toDouble(vector.getItem(i));
        }
        (parts[c] as Float64Array[]).push(out);
      } else {
        const vector = chunk.getColumnVector(c);
        const type = types[c] as DuckDBType;
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) {
          const v = vector.getItem(i);
          out[i] = v === null ? null : JSDuckDBValueConverter(v, type, JSDuckDBValueConverter);
        }
        (parts[c] as unknown[][]).push(out);
      }
    }
    length += n;
  }
  const byName = new Map<string, Float64Array | unknown[]>();
  names.forEach((name, c) => {
    if (numeric[c]) {
      const all = new Float64Array(length);
      let at = 0;
      for (const p of parts[c] as Float64Array[]) {
        all.set(p, at);
        at += p.length;
      }
      byName.set(name, all);
    } else byName.set(name, (parts[c] as unknown[][]).flat());
  });
  return new Columns(length, byName);
}

/** One column of rows to append, in the table's column order. */
export type AppendColumn =
  /** Text; null is SQL NULL. */
  | { readonly type: 'VARCHAR'; readonly values: readonly (string | null)[] }
  /** Doubles, stored as they are (NaN too); rows where `nulls` is 1 are SQL NULL. */
  | { readonly type: 'DOUBLE'; readonly values: Float64Array; readonly nulls?: Uint8Array }
  /** Whole numbers for an INTEGER column; rows where `nulls` is 1 are SQL NULL. */
  | { readonly type: 'INTEGER'; readonly values: Float64Array | Int32Array | Uint8Array; readonly nulls?: Uint8Array }
  /** Whole numbers for a BIGINT column, each a safe integer (|n| < 2^53); rows where `nulls` is 1 are SQL NULL. */
  | { readonly type: 'BIGINT'; readonly values: Float64Array | readonly number[]; readonly nulls?: Uint8Array }
  /** Instants for a TIMESTAMP column as whole milliseconds since the epoch (Date.getTime()), stored as UTC; rows where `nulls` is 1 are SQL NULL. */
  | { readonly type: 'TIMESTAMP'; readonly values: Float64Array; readonly nulls?: Uint8Array };

const APPEND_TYPE_IDS: Record<AppendColumn['type'], number> = {
  VARCHAR: DuckDBTypeId.VARCHAR,
  DOUBLE: DuckDBTypeId.DOUBLE,
  INTEGER: DuckDBTypeId.INTEGER,
  BIGINT: DuckDBTypeId.BIGINT,
  TIMESTAMP: DuckDBTypeId.TIMESTAMP,
};
const CHUNK_ROWS = 2048;
const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Appends rows given column by column to `table` through DuckDB's appender, one data chunk of 2,048 rows
 * at a time: numbers are copied into the chunk's vectors a whole vector at a time, with no SQL text and
 * no per-row objects. The columns must match the table's columns in order and type. Inside a transaction
 * the rows commit or roll back with it. `table` is a name from code (checked), never user text.
 */
export async function appendColumns(conn: DuckDBConnection, table: string, columns: readonly AppendColumn[]): Promise<void> {
  if (!TABLE_NAME.test(table)) throw new SegmintError('store_bad_table', `Not a table name: ${table}`, { table }, 500);
  const length = columns[0]?.values.length ?? 0;
  if (columns.some((c) => c.values.length !== length)) throw new Error(`appendColumns(${table}): columns of different lengths`);
  const appender = await conn.createAppender(table);
  try {
    if (appender.columnCount !== columns.length) {
      throw new Error(`appendColumns(${table}): the table has ${appender.columnCount} columns, ${columns.length} given`);
    }
    const types = columns.map((_, c) => appender.columnType(c));
    columns.forEach((column, c) => {
      const type = types[c] as DuckDBType;
      if (type.typeId !== APPEND_TYPE_IDS[column.type]) {
        throw new Error(`appendColumns(${table}): column ${c + 1} is ${type.toString()}, ${column.type} given`);
      }
    });
    const ints = new Int32Array(CHUNK_ROWS);
    const micros = new BigInt64Array(CHUNK_ROWS);
    const bigs = new BigInt64Array(CHUNK_ROWS);
    const validity = new Uint8Array(CHUNK_ROWS / 8);
    for (let start = 0; start < length; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, length - start);
      const chunk = DuckDBDataChunk.create(types, n);
      columns.forEach((column, c) => {
        const raw = bindings.data_chunk_get_vector(chunk.chunk, c);
        if (column.type === 'VARCHAR') {
          // Each string straight into the vector (what node-api's vector does on flush, without its
          // per-row cache); a NULL row is marked in the validity mask as it is met, its string never read.
          let nulls = false;
          for (let i = 0; i < n; i++) {
            const v = column.values[start + i];
            if (v !== null && v !== undefined) bindings.vector_assign_string_element(raw, i, v);
            else {
              if (!nulls) validity.fill(0xff);
              nulls = true;
              markNull(validity, i);
            }
          }
          if (nulls) writeValidity(raw, validity, n);
          return;
        }
        // Numbers are copied into the vector's memory at once (a fresh chunk has no NULL).
        if (column.type === 'DOUBLE') {
          const v = column.values;
          bindings.copy_data_to_vector(raw, 0, v.buffer as ArrayBuffer, v.byteOffset + start * 8, n * 8);
        } else if (column.type === 'TIMESTAMP') {
          // DuckDB's TIMESTAMP is microseconds since the epoch; a NULL row's value is never read.
          for (let i = 0; i < n; i++) micros[i] = column.nulls?.[start + i] ? 0n : microsOf(column.values[start + i] as number);
          bindings.copy_data_to_vector(raw, 0, micros.buffer, 0, n * 8);
        } else if (column.type === 'BIGINT') {
          for (let i = 0; i < n; i++) bigs[i] = column.nulls?.[start + i] ? 0n : wholeNumber(column.values[start + i] as number);
          bindings.copy_data_to_vector(raw, 0, bigs.buffer, 0, n * 8);
        } else {
          for (let i = 0; i < n; i++) ints[i] = column.values[start + i] as number;
          bindings.copy_data_to_vector(raw, 0, ints.buffer, 0, n * 4);
        }
        const nulls = column.nulls;
        if (nulls && nulls.subarray(start, start + n).some((x) => x !== 0)) {
          validity.fill(0xff);
          for (let i = 0; i < n; i++) if (nulls[start + i]) markNull(validity, i);
          writeValidity(raw, validity, n);
        }
      });
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } catch (e) {
    // A failed flush (a primary-key clash) leaves the rows in the appender: closing would flush them again,
    // and an appender left open flushes at some later moment (when it is collected), into whatever
    // transaction the connection then holds, aborting it. Drop them, close, and report the first error.
    try {
      appender.clear();
      appender.closeSync();
    } catch {
      // the original error is the one that says what happened
    }
    throw e;
  }
  appender.closeSync();
}

/** Clears row i's bit in a validity mask (bit i%8 of byte i/8; 1 is a value, 0 is NULL). */
function markNull(validity: Uint8Array, i: number): void {
  validity[i >> 3] = (validity[i >> 3] as number) & ~(1 << (i & 7));
}

/** Copies the first n rows' validity bits into a chunk's vector (whole 64-bit words, as DuckDB keeps them). */
function writeValidity(raw: Bindings.Vector, validity: Uint8Array<ArrayBuffer>, n: number): void {
  bindings.vector_ensure_validity_writable(raw);
  bindings.copy_data_to_vector_validity(raw, 0, validity.buffer, 0, Math.ceil(n / 64) * 8);
}

/** A safe integer as a BIGINT's value; anything else (a fraction, NaN, beyond 2^53) is a bug. */
function wholeNumber(x: number): bigint {
  if (!Number.isSafeInteger(x)) throw new RangeError(`not a whole number within 2^53: ${x}`);
  return BigInt(x);
}

/** Microseconds since the epoch from whole milliseconds; a time that is not a whole millisecond is a bug. */
function microsOf(ms: number): bigint {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`not a time in whole milliseconds: ${ms}`);
  return BigInt(ms) * 1000n;
}
