import type { Store } from '../../src/store/db.js';

/** Cells (any column of any table, as text) containing the string, case-insensitive: "table.column" → count. */
export async function cellsContaining(db: Store, needle: string): Promise<Record<string, number>> {
  const cols = await db.all<{ t: string; c: string }>(
    `SELECT c.table_name AS t, c.column_name AS c FROM information_schema.columns c JOIN information_schema.tables x USING (table_catalog, table_schema, table_name)
     WHERE c.table_schema = 'main' AND c.table_catalog = current_database() AND x.table_type = 'BASE TABLE'`,
  );
  const out: Record<string, number> = {};
  for (const { t: table, c } of cols) {
    const n = (await db.one<{ n: number }>(`SELECT count(*) AS n FROM "${table}" WHERE contains(lower(CAST("${c}" AS VARCHAR)), lower($1))`, [needle]))!.n;
    if (n > 0) out[`${table}.${c}`] = n;
  }
  return out;
}
