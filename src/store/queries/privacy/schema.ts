import type { Queryable } from '../../db.js';

/** Every column of every base table of the main schema. */
export function tableColumns(db: Queryable): Promise<{ table: string; column: string }[]> {
  return db.all<{ table: string; column: string }>(
    `SELECT c.table_name AS "table", c.column_name AS "column"
     FROM information_schema.columns c JOIN information_schema.tables t
       ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = 'main' AND c.table_catalog = current_database() AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name, c.ordinal_position`,
  );
}

/** Runs a registry condition over empty scope tables: throws when it names a column the table lacks. */
export async function checkCondition(db: Queryable, table: string, rows: string): Promise<void> {
  await db.all(`SELECT count(*) AS n FROM ${table} WHERE ${rows}`);
}
