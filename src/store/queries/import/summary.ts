import type { Queryable } from '../../db.js';
import { dropRows } from './rows/staged.js';
import { dropStaging } from './stage.js';

export interface RowCounts {
  /** data rows DuckDB kept (the rejected ones are counted by the caller) */
  kept: number;
  /** kept rows that failed the format's checks */
  invalid: number;
  lines_without_customer: number;
  customers: number;
}

/** Counts over the file's own rows (a format's synthetic rows are not lines of the file). */
export async function rowCounts(tx: Queryable): Promise<RowCounts> {
  const r = await tx.one<RowCounts>(
    `SELECT
       (SELECT count(*) FROM imp_rows WHERE NOT synthetic) AS kept,
       (SELECT count(*) FROM imp_rows WHERE NOT synthetic AND error IS NOT NULL) AS invalid,
       (SELECT count(*) FROM imp_lines WHERE NOT synthetic AND customer_id IS NULL) AS lines_without_customer,
       (SELECT count(DISTINCT customer_id) FROM imp_lines) AS customers`,
  );
  return r!;
}

export interface RowError {
  line: number;
  reason: string;
}

/** The first `limit` rows that failed the format's checks, in file order. */
export function rowErrors(tx: Queryable, limit: number): Promise<RowError[]> {
  return tx.all<RowError>(
    'SELECT line, error AS reason FROM imp_rows WHERE error IS NOT NULL AND NOT synthetic ORDER BY line LIMIT $1',
    [limit],
  );
}

/** Drops every table and view an import made, and the rows' own database. */
export async function dropImportTables(tx: Queryable): Promise<void> {
  await tx.run('DROP VIEW IF EXISTS imp_lines');
  for (const t of ['imp_orders', 'imp_ids', 'imp_event_source']) await tx.run(`DROP TABLE IF EXISTS ${t}`);
  await dropRows(tx);
  await dropStaging(tx);
}

export interface ImportRecord {
  importId: string;
  file: string;
  sha256: string;
  format: string;
  startedAt: Date;
  finishedAt: Date;
  report: unknown;
}

export async function recordImport(tx: Queryable, r: ImportRecord): Promise<void> {
  await tx.run('INSERT INTO imports VALUES ($1, $2, $3, $4, $5, $6, $7::JSON)', [
    r.importId,
    r.file,
    r.sha256,
    r.format,
    r.startedAt,
    r.finishedAt,
    JSON.stringify(r.report),
  ]);
}

export interface ImportLogEntry {
  import_id: string;
  file: string;
  file_sha256: string | null;
  format: string;
  started_at: Date;
  finished_at: Date | null;
  /** JSON text of the report (ImportReport for files; the demo's own summary for `segmint demo`) */
  report: string | null;
}

/** Imports and demo loads, newest first, a page at a time (`segmint imports`, GET /v1/imports). */
export function recentImports(db: Queryable, limit: number, offset = 0): Promise<ImportLogEntry[]> {
  return db.all<ImportLogEntry>(
    `SELECT import_id, file, file_sha256, format, started_at, finished_at, report::VARCHAR AS report
     FROM imports ORDER BY started_at DESC, import_id LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
}
