import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { latestVersion } from '../../src/store/migrations/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'segmint-migrate-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a process killed (kill -9) right after creating and migrating a database leaves a file that opens', async () => {
  const db = join(dir, 'new.duckdb');
  // The child creates the database (every migration) and is killed before it can close it: no clean
  // checkpoint on close, so only what migrate itself made durable is in the file.
  const script = `import { Store } from './src/store/db.ts'; await Store.open(${JSON.stringify(db)}); process.kill(process.pid, 'SIGKILL');`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  expect(child.signal, child.stderr).toBe('SIGKILL');
  const store = await Store.open(db, { create: false });
  try {
    const v = await store.one<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
    expect(Number(v!.v)).toBe(latestVersion);
  } finally {
    store.close();
  }
});
