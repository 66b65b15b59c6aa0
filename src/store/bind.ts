import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';
import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type { Param, Params } from './db.js';

// How a statement's parameters go to DuckDB: values (bindable) and, where DuckDB would guess wrong, their
// types (bindTypes). Loaded with require, as db.ts loads the package (start-up cost, bench/cli.ts).
const { BOOLEAN, DOUBLE, LIST, VARCHAR, listValue } = createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDB;

/** A statement's parameters as DuckDB values: Dates as ISO text, lists as one LIST value (toDuckValue). */
export function bindable(params?: Params): DuckDBValue[] | Record<string, DuckDBValue> | undefined {
  if (params === undefined) return undefined;
  if (Array.isArray(params)) return params.map(toDuckValue);
  const out: Record<string, DuckDBValue> = {};
  for (const [k, v] of Object.entries(params as Record<string, Param>)) out[k] = toDuckValue(v);
  return out;
}

/**
 * Lists get an explicit element type: left to itself DuckDB would type a list by its first element,
 * so [null, 'a'] would become NULL[] and [1, 2.5] would fail as INTEGER[].
 */
export function bindTypes(params?: Params): DuckDBType[] | Record<string, DuckDBType | undefined> | undefined {
  if (params === undefined) return undefined;
  if (Array.isArray(params)) return params.map(paramType) as DuckDBType[];
  const out: Record<string, DuckDBType | undefined> = {};
  for (const [k, v] of Object.entries(params as Record<string, Param>)) out[k] = paramType(v);
  return out;
}

/** A number that is not a safe integer binds as DOUBLE (left alone, 1e19 would not fit the BIGINT it is taken for). */
function paramType(v: Param): DuckDBType | undefined {
  if (typeof v === 'number' && !Number.isSafeInteger(v)) return DOUBLE;
  return listType(v);
}

function listType(v: Param): DuckDBType | undefined {
  if (!Array.isArray(v)) return undefined;
  const present = (v as readonly Param[]).filter((x) => x !== null);
  if (present.length > 0 && present.every((x) => typeof x === 'number' || typeof x === 'bigint')) return LIST(DOUBLE);
  if (present.length > 0 && present.every((x) => typeof x === 'boolean')) return LIST(BOOLEAN);
  return LIST(VARCHAR);
}

function toDuckValue(v: Param): DuckDBValue {
  // Dates go in as ISO text: DuckDB casts them wherever the placeholder meets a TIMESTAMP.
  // An expanded year (+010000) is written without its sign, as DuckDB reads it; an invalid Date is an error.
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new RangeError('an invalid Date cannot be bound');
    return v.toISOString().replace(/^\+/, '').replace('T', ' ').replace('Z', '');
  }
  // A list binds as one DuckDB LIST value: `col = ANY($1::VARCHAR[])` or `IN (SELECT unnest($1))`.
  if (Array.isArray(v)) {
    const numeric = listType(v)?.toString() === 'DOUBLE[]';
    const text = listType(v)?.toString() === 'VARCHAR[]';
    return listValue(
      (v as readonly Param[]).map((x) =>
        x === null ? null : numeric ? Number(x) : text && typeof x !== 'string' && !(x instanceof Date) ? String(x) : toDuckValue(x),
      ),
    );
  }
  return v as DuckDBValue;
}
