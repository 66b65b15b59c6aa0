import type { Param, Queryable } from '../../db.js';

/** SQL from the segment compiler: selects the customer_id of every member; values only as parameters. */
export interface CompiledSegment {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * Materialises the members of a compiled segment into the temp table `segment_staged`, so that the
 * statements that follow (counts, diffs, samples) read it once instead of re-running the definition,
 * and can bind their own parameters without renumbering the compiler's. Call inside a transaction:
 * the table is per connection and the next staging replaces it.
 */
export async function stageMembers(tx: Queryable, compiled: CompiledSegment): Promise<number> {
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE segment_staged AS SELECT DISTINCT customer_id FROM (${compiled.sql}) AS compiled_segment`,
    compiled.parameters as Param[],
  );
  const row = await tx.one<{ n: number }>('SELECT count(*) AS n FROM segment_staged');
  return row?.n ?? 0;
}

export async function dropStaged(tx: Queryable): Promise<void> {
  await tx.run('DROP TABLE IF EXISTS segment_staged');
}

/** Customers that count as the base: every surviving (not merged away) customer. */
export async function baseSize(db: Queryable): Promise<number> {
  const row = await db.one<{ n: number }>('SELECT count(*) AS n FROM customers WHERE merged_into IS NULL');
  return row?.n ?? 0;
}
