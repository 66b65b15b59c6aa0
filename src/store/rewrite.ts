import { existsSync, renameSync, rmSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { SegmintError } from '../domain/errors.js';

/**
 * Why a rewrite: DuckDB marks the blocks of deleted rows free and reuses them later, but never clears
 * them, and a checkpoint, VACUUM or rebuilding a table leaves the old blocks as they were. After an
 * erasure the person's bytes would stay in the file until overwritten by chance (test/privacy/bytes
 * shows it). Copying the live data into a new file writes only what is still there; the new file then
 * replaces the old one. See docs/privacy.md.
 */

const FRESH_ALIAS = 'segmint_rewrite';

/** The path the fresh copy is written to, beside the database so that the final rename is atomic. */
export function rewritePath(path: string): string {
  return `${path}.rewrite`;
}

const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** Settings of the instance that a reopened one must get back (the process's, not the file's). */
const KEPT_SETTINGS = ['TimeZone', 'memory_limit', 'threads'];

export async function instanceSettings(conn: DuckDBConnection): Promise<[string, string][]> {
  const reader = await conn.runAndReadAll(
    `SELECT name, value FROM duckdb_settings() WHERE name IN (${KEPT_SETTINGS.map(literal).join(', ')})`,
  );
  return reader.getRowObjectsJS().map((r) => [String(r.name), String(r.value)]);
}

export async function restoreSettings(conn: DuckDBConnection, settings: readonly [string, string][]): Promise<void> {
  // Names from the fixed list above, values as DuckDB itself printed them.
  for (const [name, value] of settings) await conn.run(`SET ${ident(name)} = ${literal(value)}`);
}

/**
 * Copies every table, view, sequence (at its current value), index and macro of the open database into
 * a new file beside it, checks that each table has as many rows there, and closes the copy. Returns its
 * path. The caller holds the connection throughout, so nothing is written meanwhile.
 */
export async function copyToFreshFile(conn: DuckDBConnection, path: string): Promise<string> {
  const fresh = rewritePath(path);
  for (const f of [fresh, `${fresh}.wal`]) rmSync(f, { force: true });
  await conn.run('CHECKPOINT');
  const db = String((await conn.runAndReadAll('SELECT current_database() AS db')).getRowObjectsJS()[0]!.db);
  await conn.run(`ATTACH ${literal(fresh)} AS ${FRESH_ALIAS}`);
  try {
    await conn.run(`COPY FROM DATABASE ${ident(db)} TO ${FRESH_ALIAS}`);
    const tables = (
      await conn.runAndReadAll(`SELECT table_name AS t FROM duckdb_tables() WHERE database_name = ${literal(db)} AND NOT temporary`)
    ).getRowObjectsJS();
    for (const { t } of tables) {
      const name = ident(String(t));
      const counts = (
        await conn.runAndReadAll(`SELECT (SELECT count(*) FROM ${ident(db)}.${name}) AS a, (SELECT count(*) FROM ${FRESH_ALIAS}.${name}) AS b`)
      ).getRowObjectsJS()[0]!;
      if (counts.a !== counts.b) {
        throw new SegmintError('rewrite_mismatch', `Rewriting ${path}: table ${String(t)} has ${counts.a} rows but its copy ${counts.b}; the file was left as it was.`, { path }, 500);
      }
    }
  } catch (e) {
    await conn.run(`DETACH ${FRESH_ALIAS}`).catch(() => undefined);
    rmSync(fresh, { force: true });
    throw e;
  }
  await conn.run(`DETACH ${FRESH_ALIAS}`);
  rmSync(`${fresh}.wal`, { force: true });
  return fresh;
}

/**
 * Puts the copy in place of the database once the old one is closed. The old write-ahead log goes
 * first: it was folded into the file when it closed, and replayed over the copy it would corrupt it.
 * The rename is atomic: a crash leaves either the old file or the new one, both whole.
 */
export function swapInFreshFile(fresh: string, path: string): void {
  rmSync(`${path}.wal`, { force: true });
  if (!existsSync(fresh)) throw new SegmintError('rewrite_missing', `The rewritten copy ${fresh} is missing; ${path} was left as it was.`, { path }, 500);
  renameSync(fresh, path);
}

/** A copy left by a rewrite that was interrupted before its rename: removed when the store opens. */
export function removeStaleRewrite(path: string): void {
  for (const f of [rewritePath(path), `${rewritePath(path)}.wal`]) rmSync(f, { force: true });
}
