import type { Queryable } from '../../db.js';

/**
 * Removes from an import's rows (imp_rows) those whose identifier tuple is an erased person's, and the
 * other lines of their orders; returns how many of the file's own lines that was (synthetic rows a
 * format adds are not lines of the file).
 */
export async function dropSuppressedImportRows(tx: Queryable, identityKeys: readonly string[]): Promise<number> {
  if (identityKeys.length === 0) return 0;
  await tx.run('DROP TABLE IF EXISTS imp_suppressed');
  await tx.run('CREATE TEMP TABLE imp_suppressed AS SELECT unnest($1::VARCHAR[]) AS ident_key', [[...identityKeys]]);
  const where = `ident_key IN (SELECT ident_key FROM imp_suppressed)
    OR order_id IN (SELECT order_id FROM imp_rows WHERE order_id IS NOT NULL AND ident_key IN (SELECT ident_key FROM imp_suppressed))`;
  const n = await tx.one<{ n: number }>(`SELECT count(*) FILTER (WHERE NOT synthetic) AS n FROM imp_rows WHERE ${where}`);
  await tx.run(`DELETE FROM imp_rows WHERE ${where}`);
  await tx.run('DROP TABLE imp_suppressed');
  return n!.n;
}
