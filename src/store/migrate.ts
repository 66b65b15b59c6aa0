import { SegmintError } from '../domain/errors.js';
import type { Store } from './db.js';
import { latestVersion, migrations } from './migrations/index.js';

/**
 * Brings the file up to the latest schema, one migration per transaction. A file written by a newer
 * segmint is refused rather than guessed at.
 */
export async function migrate(store: Store): Promise<void> {
  await store.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
  );
  const row = await store.one<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  const current = row?.v ?? 0;
  if (current > latestVersion) {
    throw new SegmintError(
      'schema_too_new',
      `The database ${store.path} was written by a newer segmint (schema version ${current}); ` +
        `this segmint knows schema versions up to ${latestVersion}. Upgrade segmint to open it.`,
      { path: store.path, fileVersion: current, knownVersion: latestVersion },
      409,
    );
  }
  // Branches land their reserved versions in any order, so a file may hold 13 without 12: every
  // migration not applied yet runs, in version order.
  const applied = new Set((await store.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    await store.transaction(async (tx) => {
      for (const sql of m.statements) await tx.run(sql);
      await tx.run('INSERT INTO schema_migrations VALUES ($1, $2, now())', [m.version, m.name]);
    });
  }
}
