/** Where the database lives: --db, else SEGMINT_DB, else ./segmint.duckdb. */
export function resolveDbPath(flag?: string): string {
  return flag ?? process.env.SEGMINT_DB ?? 'segmint.duckdb';
}
