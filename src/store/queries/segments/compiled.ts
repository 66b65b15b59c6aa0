/**
 * SQL from the segment compiler: one row with the customer_id of each member, values only as
 * parameters. Its placeholders are `$1..$n` (the DuckDB dialect), so a query wrapping it binds its own
 * values from `$n+1` on.
 */
export interface CompiledSegment {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}
