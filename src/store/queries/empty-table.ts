import type { Queryable } from '../db.js';

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Empties a table of the store by dropping it and creating it again from its own definition, and its
 * indexes from theirs, as DuckDB records them (duckdb_tables(), duckdb_indexes()): the schema stays exactly
 * what the migrations made. Run it inside a transaction; a rollback brings the old rows back.
 *
 * Why not DELETE: DuckDB removes deleted rows from a primary-key index one key at a time, which takes
 * minutes for a million rows, while a new empty table costs nothing. `table` is a name from code (checked).
 */
export async function emptyTable(tx: Queryable, table: string): Promise<void> {
  if (!TABLE_NAME.test(table)) throw new Error(`emptyTable: not a table name: ${table}`);
  const definition = await tx.one<{ sql: string }>(
    "SELECT sql FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1 AND NOT temporary",
    [table],
  );
  if (!definition) throw new Error(`emptyTable: no table ${table}`);
  const indexes = await tx.all<{ sql: string }>(
    "SELECT sql FROM duckdb_indexes() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1 AND sql IS NOT NULL",
    [table],
  );
  await tx.run(`DROP TABLE ${table}`);
  await tx.run(definition.sql);
  for (const index of indexes) await tx.run(index.sql);
}
