import { accessSync, closeSync, constants, openSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SegmintError } from '../domain/errors.js';
import { isFolder, userErrorFromSystem } from '../domain/system-errors.js';

/**
 * What may be opened as a segmint database, checked before DuckDB touches the path (DuckDB itself would
 * open a CSV or Parquet file as an in-memory database with a view over it, so a write "succeeds" and is
 * lost):
 *
 * - a DuckDB database file (its header carries DuckDB's magic bytes); whether it is segmint's own is
 *   checked once open (checkSegmintTables);
 * - a path that does not exist yet, only when the caller may create it (commands that write: import,
 *   demo, serve, keys create, segments create); every other command says there is no database there;
 * - `:memory:` (tests and benchmarks).
 *
 * Anything else (a CSV, a gzip, an empty file, a folder, a device such as /dev/null, a pipe, an unreadable or read-only file, a missing or
 * read-only folder for a new file) is a SegmintError naming the path and what it is. The CLI runs this
 * before any work (program.ts) and the store again when it opens.
 */
export function checkDatabasePath(path: string, create: boolean): void {
  if (path === ':memory:') return;
  // An empty path would be taken as the current folder (trial 5, D9): say what is wrong with it instead.
  if (path.trim() === '') {
    throw new SegmintError(
      'store_path_empty',
      `The database path is empty${path === '' ? '' : ' (only spaces)'}. Give --db (or SEGMINT_DB) the path of a database file, e.g. segmint.duckdb.`,
      { path },
      400,
    );
  }
  checkLogPath(path);
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) {
      throw new SegmintError('store_not_a_file', `${path} is a folder, not a database file. Give --db the path of a file, e.g. ${resolve(path, 'segmint.duckdb')}.`, { path }, 400);
    }
    // A device, pipe or socket is no file a database can live in (trial 13, C1: /dev/null was called an
    // empty file, to be removed); read no byte of it either, a pipe would wait for a writer.
    if (!st.isFile()) {
      const found = kindOf(st);
      throw new SegmintError(
        'store_not_a_file',
        `${path} is ${found === 'not a regular file' ? found : `${found}, not a file`}: segmint keeps its data in a database file it creates itself. Give --db the path of a file, e.g. segmint.duckdb.`,
        { path, found },
        400,
      );
    }
    size = st.size;
  } catch (e) {
    if (e instanceof SegmintError) throw e;
    if (errorCode(e) !== 'ENOENT') throw userErrorFromSystem(e, { path, doing: 'open the database' }) ?? unreadable(path, e);
    if (!create) {
      throw new SegmintError(
        'store_missing',
        `There is no segmint database at ${path}, and this command works on an existing one rather than create it: ` +
          `bring data in first (segmint import FILE, or segmint demo), or point --db / SEGMINT_DB at an existing database.`,
        { path },
        404,
      );
    }
    checkFolder(path);
    return;
  }
  checkAccess(path, constants.R_OK | constants.W_OK, 'write the database');
  // A size of 0 is only a hint: files of /proc report 0 and still hold bytes, so they are read.
  const head = readHead(path);
  if (size === 0 && head.length === 0) {
    throw new SegmintError(
      'store_not_database',
      `${path} is an empty file, not a segmint database. Remove it (segmint creates its database file itself) or choose another --db path.`,
      { path, found: 'empty file' },
      400,
    );
  }
  if (!isDuckDbHeader(head)) {
    const found = describeBytes(head);
    // Whether the file may be data to import: the CLI then names the import command that loads it
    // (cli/import-hint.ts), which needs the importer's format detection, unknown to the store.
    // A file that reports size 0 (procfs) is not one the importer can read, so no import is suggested.
    const importable = size > 0 && /text|gzip/.test(found);
    throw new SegmintError(
      'store_not_database',
      `${path} is not a segmint database: it is ${found}. segmint keeps its data in a DuckDB file it creates itself` +
        (importable ? '; to load this file, import it into a database (segmint import, docs/importing.md).' : '; choose another --db path.'),
      { path, found, importable },
      400,
    );
  }
}

/** What a path that is not a regular file is, in words. */
function kindOf(st: Stats): string {
  return st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device (a disk)' : st.isFIFO() ? 'a named pipe' : st.isSocket() ? 'a socket' : 'not a regular file';
}

/**
 * DuckDB reads and writes its write-ahead log at `<path>.wal`: a pipe there would make every command wait
 * for a writer with no word (trial 14), a device would swallow the log. Anything there but a file (or
 * nothing) is refused, naming it.
 */
function checkLogPath(path: string): void {
  const log = `${path}.wal`;
  let st: Stats;
  try {
    st = statSync(log);
  } catch {
    return; // none yet (or unreadable: DuckDB's own error names it)
  }
  if (st.isFile()) return;
  const found = kindOf(st);
  throw new SegmintError(
    'store_log_not_a_file',
    `${log}, where the database ${path} keeps its write-ahead log, is ${found === 'not a regular file' ? found : `${found}, not a file`}: ` +
      `move it away (DuckDB creates the log itself) or choose another --db path.`,
    { path, log, found },
    400,
  );
}

/**
 * After DuckDB opened a database file: a file with tables but no segmint schema belongs to another
 * program and is refused rather than written into. An empty DuckDB database is taken only by a caller
 * that may create one.
 */
export function checkSegmintTables(path: string, tables: readonly string[], create: boolean): void {
  if (tables.includes('schema_migrations')) return;
  if (tables.length > 0) {
    const shown = tables.slice(0, 8).join(', ') + (tables.length > 8 ? `, … (${tables.length} in all)` : '');
    throw new SegmintError(
      'store_foreign_database',
      `${path} is a DuckDB database of another program (its tables: ${shown}), not a segmint database; segmint will not write into it. Choose another --db path.`,
      { path, tables: tables.slice(0, 50) },
      400,
    );
  }
  if (!create) {
    throw new SegmintError(
      'store_missing',
      `${path} is an empty DuckDB database with no segmint data, and this command works on an existing one: bring data in first (segmint import FILE, or segmint demo).`,
      { path },
      404,
    );
  }
}

function checkFolder(path: string): void {
  const folder = dirname(resolve(path));
  // The same sentence and code (folder_missing) as any other file a command cannot create.
  if (!isFolder(folder)) throw userErrorFromSystem({ code: 'ENOENT', path }, { doing: 'create the database' })!;
  checkAccess(folder, constants.W_OK, 'create the database', path);
}

/** A permission problem as the one sentence userErrorFromSystem gives (permission_denied). */
function checkAccess(target: string, mode: number, doing: string, path = target): void {
  try {
    accessSync(target, mode);
  } catch (e) {
    throw userErrorFromSystem({ code: errorCode(e), path }, { doing }) ?? e;
  }
}

function readHead(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw unreadable(path, e);
  }
  try {
    const buf = Buffer.alloc(512);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** DuckDB's main header: an 8-byte checksum, then the magic bytes "DUCK". */
function isDuckDbHeader(head: Buffer): boolean {
  return head.length >= 12 && head.subarray(8, 12).toString('latin1') === 'DUCK';
}

/** A few words on what a file that is not a DuckDB database looks like, for the message. */
function describeBytes(head: Buffer): string {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'a gzip-compressed file';
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'a Parquet file';
  if (head.subarray(0, 15).toString('latin1') === 'SQLite format 3') return 'a SQLite database';
  if (head.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return 'a zip archive (or a spreadsheet)';
  const text = head.toString('utf8');
  if (!text.includes('\u0000') && !text.includes('\ufffd')) {
    const first = text.replace(/^\ufeff/, '').split(/\r?\n/)[0]!.slice(0, 60);
    return /[,;\t]/.test(first) ? `a text file that looks like a CSV (first line: "${first}")` : 'a text file';
  }
  return 'a file of another kind';
}

function unreadable(path: string, e: unknown): SegmintError {
  const code = errorCode(e);
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : e instanceof Error ? e.message : String(e);
  return new SegmintError('store_unreadable', `Cannot open the database ${path}: ${why}.`, { path, code }, 400);
}

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}
