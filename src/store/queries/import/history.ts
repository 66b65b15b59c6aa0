import type { Queryable } from '../../db.js';

export interface ImportRow {
  import_id: string;
  file: string;
  file_sha256: string | null;
  format: string;
  started_at: Date;
  finished_at: Date | null;
  /** JSON text of the report (ImportReport for files; the demo's own summary for `segmint demo`) */
  report: string | null;
}

/** Imports and demo loads, newest first. */
export function importRows(db: Queryable, limit: number, offset: number): Promise<ImportRow[]> {
  return db.all<ImportRow>(
    `SELECT import_id, file, file_sha256, format, started_at, finished_at, report::VARCHAR AS report
     FROM imports ORDER BY started_at DESC, import_id LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
}

export function importRow(db: Queryable, importId: string): Promise<ImportRow | undefined> {
  return db.one<ImportRow>(
    `SELECT import_id, file, file_sha256, format, started_at, finished_at, report::VARCHAR AS report
     FROM imports WHERE import_id = $1`,
    [importId],
  );
}
