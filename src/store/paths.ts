import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';

/** Where the database lives: --db, else SEGMINT_DB, else ./segmint.duckdb. */
export function resolveDbPath(flag?: string): string {
  return flag ?? process.env.SEGMINT_DB ?? 'segmint.duckdb';
}

/**
 * `path` made absolute without reading `..` lexically: `resolve` turns `link/../db` into `db` beside the
 * link, where the system (and DuckDB) goes to the parent of the link's target.
 */
export function absoluteAsWritten(path: string): string {
  return isAbsolute(path) ? path : `${process.cwd()}${sep}${path}`;
}

/**
 * The absolute path a command opens a database by: the real path of its folder (symlinks and `..`
 * followed as the system follows them) and the file's own name as written (a symlinked file keeps its
 * name). The path as `resolve` gives it when the folder does not exist (opening then says so).
 */
export function dbFilePath(path: string): string {
  const absolute = absoluteAsWritten(path);
  try {
    return join(realpathSync.native(dirname(absolute)), basename(absolute));
  } catch {
    return resolve(path);
  }
}

/**
 * The one spelling of a database file (or any file), for comparing or keying by it (the serve lock, the
 * command socket, an --out that must not be the database): the real path, symlinks and `..` followed (fs.realpathSync), so `link.duckdb`, `dir/../db` and
 * the plain path name the same database (realpathSync.native: the JavaScript realpathSync reads `..`
 * lexically first) (trial 12, L4: a symlink was not routed to the server holding its
 * file and waited ten minutes). A file not yet created is its folder's real path and its own name (a
 * dangling symlink: its target's); when even the folder is missing, the absolute path as written.
 */
export function realDbPath(path: string, depth = 0): string {
  const absolute = absoluteAsWritten(path);
  try {
    return realpathSync.native(absolute);
  } catch {
    // A symlink to a file not yet created: the file it will create (DuckDB follows the link).
    if (depth < 32 && isLink(absolute)) {
      const target = readlinkSync(absolute);
      return realDbPath(isAbsolute(target) ? target : `${dirname(absolute)}${sep}${target}`, depth + 1);
    }
    return dbFilePath(absolute);
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
