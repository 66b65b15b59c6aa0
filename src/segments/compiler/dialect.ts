import type { AggregateFn, LiteralType } from '../ast/index.js';

/** SQL types parameters are bound as. */
export type SqlType = 'number' | 'string' | 'boolean' | 'timestamp';

/**
 * What differs between databases, as hooks; the compiler writes everything else in plain SQL. A new
 * backend (ClickHouse) is a new object of these, not a fork of the compiler. Every hook receives SQL
 * fragments the compiler built from parameters and catalog identifiers, never user text.
 */
export interface Dialect {
  readonly name: string;
  quoteIdentifier(name: string): string;
  /** The placeholder of the index-th parameter (1-based), typed. */
  placeholder(index: number, type: SqlType): string;
  /** The parameter value that addresses a path inside a JSON document. */
  jsonPath(path: readonly string[]): string;
  /**
   * The JSON value at path read as `type`, or NULL when absent, JSON null or of another type (a text
   * "42" is not the number 42). Timestamps are text read by the rule of src/domain/timestamp.ts (any
   * ISO-8601 date-time, UTC when no zone is written), to the millisecond, exactly as the evaluator reads them.
   */
  jsonValue(json: string, pathParam: string, type: LiteralType): string;
  /** TRUE when the path holds a non-null value, else FALSE (never NULL). */
  jsonPresent(json: string, pathParam: string): string;
  /** A numeric column as a double, so comparisons never round the parameter to the column's scale. */
  toDouble(expr: string): string;
  /** Milliseconds since the epoch of a timestamp expression, as a double. */
  epochMillis(expr: string): string;
  /** timestamp + n milliseconds. */
  addMillis(expr: string, millisParam: string): string;
  contains(haystack: string, needle: string): string;
  startsWith(text: string, prefix: string): string;
  /** An aggregate over the rows where filter holds; expr is null for count(*). */
  aggregate(fn: AggregateFn | 'first', expr: string | null, filter: string): string;
  /** The join that pairs each left row with the nearest right row satisfying an inequality. */
  readonly asofLeftJoin: string;
}
