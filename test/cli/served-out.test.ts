import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardToServer } from '../../src/cli/served/client.js';
import { registerAllFields } from '../../src/fields.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { profiles } from '../fixtures/segments/conformance-worlds.js';
import { loadWorld } from '../fixtures/segments/world.js';
import { printed, type Printed } from '../helpers/cli.js';
import { CLI, eventually } from '../helpers/serve.js';
import { tempStore } from '../helpers/store.js';
import { readLock } from '../../src/cli/served/lock.js';

/*
 * Task fixA12, item 1: a command a running server carries out wrote its --out file from the server's
 * process (as the server's user, with its umask), and replaced an existing file silently. The server
 * here runs with umask 077 and the CLI (this process) with 022: a file the server created would be
 * 0600, one the CLI created is 0644. The file must be the CLI's, refused when it exists, replaced
 * with --force.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
let db: string;
let dir: string;
let cleanup: () => void;
let child: ChildProcess | undefined;
let umask: number;

beforeAll(async () => {
  registerAllFields();
  const t = await tempStore();
  await loadWorld(t.store, profiles);
  await createSegment(t.store, { name: 'everyone', definition: { query: 'orders_count >= 0' }, description: null, notes: null });
  t.store.close();
  ({ path: db, dir, cleanup } = t);
  child = spawn('/bin/sh', ['-c', 'umask 077; exec "$0" "$@"', process.execPath, ...CLI, '--db', db, 'serve', '--port', '0', '--log-level', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  await eventually(async () => readLock(db) ?? undefined, 'the server to start', 60_000);
  umask = process.umask(0o022);
}, 90_000);

afterAll(async () => {
  process.umask(umask);
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
  }
  cleanup();
});

async function served(args: string[]): Promise<Printed> {
  return printed(async () => {
    expect(await forwardToServer(['node', 'segmint', '--db', db, ...args])).toBe(true);
  }, dir);
}

describe('--out of a command a running server carries out', () => {
  it('is written by the CLI (its umask), at its path, and refused when it exists unless --force', async () => {
    const first = await served(['segments', 'export', 'everyone', '--fields', 'customer_id', '--out', 'everyone.csv']);
    expect(first.stderr).toMatch(/^wrote \d+ rows/);
    expect(first.code).toBe(0);
    const file = join(dir, 'everyone.csv');
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('customer_id');
    expect(statSync(file).mode & 0o777).toBe(0o644);

    writeFileSync(file, 'precious\n');
    const refused = await served(['segments', 'export', 'everyone', '--out', 'everyone.csv']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('segmint: Cannot write the export everyone.csv: the file already exists and is left as it is; pass --force to replace it, or choose another name (rm everyone.csv removes it).\n');
    expect(readFileSync(file, 'utf8')).toBe('precious\n');

    const forced = await served(['segments', 'export', 'everyone', '--fields', 'customer_id', '--out', 'everyone.csv', '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('customer_id');

    const missing = await served(['segments', 'export', 'everyone', '--out', 'no-such/everyone.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^segmint: Cannot write the export no-such\/everyone\.csv: the folder no-such does not exist/);

    const failed = await served(['segments', 'export', 'nobody', '--out', 'nobody.csv']);
    expect(failed.code).toBe(2);
    // no temporary file is left behind by any of them
    expect(readdirSync(dir).filter((f) => f.includes('.segmint-'))).toEqual([]);
    expect(readdirSync(dir)).not.toContain('nobody.csv');
  }, 60_000);

  it('never writes the database, by any name, even with --force (trial 12, H1)', async () => {
    const digest = (): string => createHash('sha256').update(readFileSync(db)).digest('hex');
    symlinkSync(db, join(dir, 'db-link'));
    const before = digest();
    for (const out of [db, 'db-link', `${db}.serve.lock`, `${db}.wal`]) {
      for (const force of [[], ['--force']]) {
        const r = await served(['segments', 'export', 'everyone', '--out', out, ...force]);
        expect(r.code, out).toBe(2);
        expect(r.stderr).toMatch(/^segmint: Cannot write the export .*: it is the (database itself|lock file of the database's server|database's write-ahead log) .*--force does not change this\)\.\n$/);
      }
    }
    expect(digest()).toBe(before);
    // the server carries on
    expect((await served(['segments', 'list'])).code).toBe(0);
  }, 60_000);
});
