import { SegmintError } from '../domain/errors.js';
import type { Store } from './db.js';
import { latestVersion, migrations } from './migrations/index.js';

/**
 * Brings the file up to the latest schema, one migration per transaction. Versions are reserved per
 * feature and land in any order, so every migration the file has not applied is applied, not only those
 * above its highest version (a file at 13 still gets 6). A file written by a newer segmint is refused
 * rather than guessed at.
 */
export async function migrate(store: Store): Promise<void> {
  await store.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
  );
  const applied = new Set((await store.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  const current = Math.max(0, ...applied);
  if (current > latestVersion) {
    throw new SegmintError(
      'schema_too_new',
      `The database ${store.path} was written by a newer segmint (schema version ${current}); ` +
        `this segmint knows schema versions up to ${latestVersion}. Upgrade segmint to open it.`,
      { path: store.path, fileVersion: current, knownVersion: latestVersion },
      409,
    );
  }
  let changed = false;
  for (const m of [...migrations].sort((x, y) => x.version - y.version)) {
    if (applied.has(m.version)) continue;
    await store.transaction(async (tx) => {
      for (const sql of m.statements) await tx.run(sql);
      await m.finish?.(tx);
      await tx.run('INSERT INTO schema_migrations VALUES ($1, $2, now())', [m.version, m.name]);
    });
    changed = true;
  }
  // The new schema goes into the file itself, not only the write-ahead log: DuckDB cannot replay some
  // schema changes from its log (a column added with DEFAULT nextval(...) fails with "GetDefaultDatabase
  // with no default database set"), so a process stopped before its next checkpoint would leave a
  // file that no longer opens.
  if (changed) await store.run('CHECKPOINT');
}
