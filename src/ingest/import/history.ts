import { SegmintError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { importRow } from '../../store/queries/import/history.js';
import { recentImports, type ImportLogEntry } from '../../store/queries/import/summary.js';
import { wholeNumberIn } from '../../domain/whole-number.js';

export interface ImportRecord {
  importId: string;
  file: string;
  sha256: string | null;
  /** the format name, or `demo` for data loaded by `segmint demo` */
  format: string;
  startedAt: Date;
  /** null while running or when interrupted */
  finishedAt: Date | null;
  /** what the import reported (ImportReport for files), null before it finished */
  report: unknown;
}

const toRecord = (r: ImportLogEntry): ImportRecord => ({
  importId: r.import_id,
  file: r.file,
  sha256: r.file_sha256,
  format: r.format,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  report: r.report === null ? null : JSON.parse(r.report),
});

/** The most imports one page lists (`imports --limit`, `limit`): more is refused, not cut. */
export const IMPORTS_PAGE_MAX = 1000;

/** Every import into the store with its report, newest first (`segmint imports`). */
export async function listImports(db: Queryable, opts: { limit?: number; offset?: number } = {}): Promise<ImportRecord[]> {
  const limit = wholeNumberIn(opts.limit ?? 100, 'limit', 1, IMPORTS_PAGE_MAX);
  const offset = wholeNumberIn(opts.offset ?? 0, 'offset', 0);
  return (await recentImports(db, limit, offset)).map(toRecord);
}

export async function getImport(db: Queryable, importId: string): Promise<ImportRecord> {
  const r = await importRow(db, importId);
  if (!r) throw new SegmintError('import_not_found', `No import has the id ${importId}; see \`segmint imports\`.`, { importId }, 404);
  return toRecord(r);
}
