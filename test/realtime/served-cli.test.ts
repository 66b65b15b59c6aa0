import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { reportError } from '../../src/cli/report-error.js';
import { forwardToServer } from '../../src/cli/served/client.js';
import { lockPathOf, readLock } from '../../src/cli/served/lock.js';
import { registerAllFields } from '../../src/fields.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { refreshSegments } from '../../src/segments/manage/refresh.js';
import { Store } from '../../src/store/db.js';
import { profiles } from '../fixtures/segments/conformance-worlds.js';
import { loadWorld } from '../fixtures/segments/world.js';
import { printed, type Printed } from '../helpers/cli.js';
import { tempStore } from '../helpers/store.js';
import { basic } from '../server/helpers.js';
import { segmint, startServe } from '../helpers/serve.js';

/**
 * One database, one live process: while a server holds the database, CLI commands on it are carried
 * out by the server, print the same output and exit with the same code as without a server, and what
 * they write is live at once.
 */

type Run = Printed;

/** What main.ts does, in this process, capturing what is printed. */
async function cli(args: readonly string[], via: 'server' | 'here', cwd?: string): Promise<Run> {
  return printed(async () => {
    const argv = ['node', 'segmint', '--db', db, ...args];
    if (via === 'server') {
      expect(await forwardToServer(argv)).toBe(true);
      return undefined;
    }
    expect(await forwardToServer(argv)).toBe(false);
    try {
      await buildProgram().parseAsync(argv);
      return 0;
    } catch (e) {
      return reportError(e, argv);
    }
  }, cwd);
}

let db: string;
let dir: string;
let cleanup: () => void;
let server: RunningServer | undefined;
let store: Store;
let readKey: string;

beforeAll(async () => {
  registerAllFields();
  const t = await tempStore();
  await loadWorld(t.store, profiles);
  readKey = (await createApiKey(t.store, ['read'], 'test')).key;
  t.store.close();
  db = t.path;
  dir = t.dir;
  cleanup = t.cleanup;
});
afterAll(async () => {
  await server?.close();
  cleanup();
});

// Commands whose output does not depend on when they run, with a user error and a commander error among them.
const COMMANDS: string[][] = [
  ['segments', 'list', '--json'],
  ['segments', 'show', 'de'],
  ['segments', 'show', 'nope'],
  ['segments', 'preview', '--query', 'country = "FR"', '--as-of', '2024-06-30', '--json'],
  ['segments', 'explain', 'de', 'a', '--as-of', '2024-06-30'],
  // Trial 7, D2: refreshed as of 2024-06-30 here, live as of now there; the answer about 2024 is the same
  // and no note advises a refresh that the server would not do.
  ['segments', 'explain', 'lapsed', 'a', '--as-of', '2024-06-30'],
  ['segments', 'create', 'broken', '--query', 'country = '],
  ['keys', 'list', '--json'],
  ['segments', '--help'],
  ['segments', 'lst'],
];

describe('CLI commands on a served database', () => {
  it('print the same output and exit codes through the server as without it', async () => {
    const s = await Store.open(db);
    await s.run("INSERT INTO segments VALUES ('seg_de', 'de', '{\"kind\":\"compare\",\"target\":{\"kind\":\"trait\",\"path\":[\"country\"]},\"op\":\"=\",\"value\":\"DE\"}', 'country = \"DE\"', NULL, NULL, TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', NULL, NULL)");
    await createSegment(s, { name: 'lapsed', definition: { query: 'last_order_at < -90d' }, description: null, notes: null });
    await refreshSegments(s, { asOf: new Date('2024-06-30T00:00:00Z'), name: 'lapsed' });
    s.close();
    const here: Run[] = [];
    for (const args of COMMANDS) here.push(await cli(args, 'here'));
    // a usage error exits 2 like every user error (docs/cli.md)
    expect(here.map((r) => r.code)).toEqual([0, 0, 2, 0, 0, 0, 2, 0, 0, 2]);
    expect(here[5]!.stdout).toMatch(/^cus_\S+ \(a\) is NOT in "lapsed"|^a is NOT in "lapsed"/);
    expect(here[5]!.stdout).not.toContain('note:');

    store = await Store.open(db);
    server = await startServer({ store, port: 0, host: '127.0.0.1' });
    const there: Run[] = [];
    for (const args of COMMANDS) there.push(await cli(args, 'server'));
    // The server made "de" live at start (its members entered then): only membership figures may differ.
    const normalise = (r: Run): Run => ({
      ...r,
      stdout: r.stdout.replace(/"(members|membersSource|membersAsOf|refreshedAt|refreshedAsOf)": [^,\n]+/g, '"$1": …').replace(/^( {2}members: {5}).*$/m, '$1…'),
    });
    expect(there.map(normalise)).toEqual(here.map(normalise));
    // The later tests see the segments they expect.
    expect((await cli(['segments', 'delete', 'lapsed'], 'server')).code).toBe(0);
  });

  it('use the CLI\'s working directory for relative paths, and what they write is live at once', async () => {
    writeFileSync(join(dir, 'vip.json'), JSON.stringify({ kind: 'compare', target: { kind: 'trait', path: ['plan'] }, op: '=', value: 'pro' }));
    const created = await cli(['segments', 'create', 'pro', '--json-definition', 'vip.json'], 'server', dir);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    // what create prints is the live count, as show prints it (a was on plan pro: 1 member)
    expect(created.stdout).toMatch(/members: {5}1 now, kept live by the running server/);
    // Live as soon as the command returns: the customer's segments answer from memory.
    const res = await fetch(`${server!.url}/v1/customers/a/segments`, { headers: { authorization: basic(readKey) } });
    expect(((await res.json()) as { segments: { name: string }[] }).segments.map((x) => x.name)).toEqual(['de', 'pro']);
    const exported = await cli(['segments', 'export', 'pro', '--out', 'pro.csv', '--fields', 'customer_id'], 'server', dir);
    expect(exported.code).toBe(0);
    expect(readFileSync(join(dir, 'pro.csv'), 'utf8').split('\n')[0]).toBe('customer_id');
    const refreshed = await cli(['segments', 'refresh'], 'server');
    expect(refreshed.stdout).toMatch(/pro: \d+ members?, kept live by the running server/);
    // list and show give the live count, not "not refreshed yet"
    expect((await cli(['segments', 'list'], 'server')).stdout).toMatch(/^pro\s+\d+ live {2}/m);
    expect((await cli(['segments', 'show', 'pro'], 'server')).stdout).toMatch(/members: {5}\d+ now, kept live by the running server/);
    // members says what its list is: the members now (trial 11, C4)
    const members = (await cli(['segments', 'members', 'pro'], 'server')).stdout;
    expect(members).toMatch(/^1 member of "pro" now, kept live by the running server\n {2}\S+ {2}since \S+\n?$/);
    // update prints the members of the new definition, not the stored ones of before it
    const updated = await cli(['segments', 'update', 'pro', '--query', 'traits.plan = "gold"'], 'server');
    expect(updated.stdout).toMatch(/members: {5}0 now, kept live by the running server/);
    await cli(['segments', 'update', 'pro', '--json-definition', 'vip.json'], 'server', dir);
  });

  it('reach the server only through a socket its owner alone can open', () => {
    const lock = readLock(db)!;
    expect(lock.pid).toBe(process.pid);
    expect(lstatSync(lockPathOf(db)).mode & 0o777).toBe(0o600);
    expect(lstatSync(lock.socket).isSocket()).toBe(true);
    expect(lstatSync(lock.socket).mode & 0o777).toBe(0o600);
    expect(lstatSync(dirname(lock.socket)).mode & 0o777).toBe(0o700);
    expect(lock.socket.length).toBeLessThan(100);
  });

  it('status reports the live segments and the memory they take', async () => {
    const r = await cli(['status', '--json'], 'server');
    const status = JSON.parse(r.stdout) as { served: boolean; realtime: { segments: { name: string }[]; memory: { bytesPerCustomer: number } } };
    expect(status.served).toBe(true);
    expect(status.realtime.segments.map((x) => x.name)).toEqual(['de', 'pro']);
    expect(status.realtime.memory.bytesPerCustomer).toBeGreaterThan(0);
  });
});

describe('a stale lock (the server was killed)', () => {
  it('does not stop commands: they run here once nothing answers on the socket', async () => {
    const t = await tempStore();
    const file = t.path;
    t.store.close();
    const killed = await startServe(file);
    killed.child.kill('SIGKILL');
    await new Promise<void>((r) => killed.child.once('exit', () => r()));
    expect(readLock(file)).toBeDefined();
    const r = await segmint(['--db', file, 'segments', 'list']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No segments yet/);
    t.cleanup();
  });
});
