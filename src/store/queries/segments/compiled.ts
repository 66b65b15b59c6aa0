import type { Param, Queryable } from '../../db.js';

/** SQL from the segment compiler: one row with the customer_id of each member; values only as parameters. */
export interface CompiledSegment {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * Materialises the members of a compiled segment into the temp table `segment_staged`, so that the
 * statements that follow (the diff against stored members) read it once instead of re-running the definition,
 * and can bind their own parameters without renumbering the compiler's. Call inside a transaction:
 * the table is per connection and the next staging replaces it.
 */
export async function stageMembers(tx: Queryable, compiled: CompiledSegment): Promise<void> {
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE segment_staged AS SELECT customer_id FROM (${compiled.sql}) AS compiled_segment`,
    compiled.parameters as Param[],
  );
}
