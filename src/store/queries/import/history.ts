import type { Queryable } from '../../db.js';
import type { ImportLogEntry } from './summary.js';

/** One import or demo load with its report. */
export function importRow(db: Queryable, importId: string): Promise<ImportLogEntry | undefined> {
  return db.one<ImportLogEntry>(
    `SELECT import_id, file, file_sha256, format, started_at, finished_at, report::VARCHAR AS report
     FROM imports WHERE import_id = $1`,
    [importId],
  );
}
