import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSegment } from '../../src/segments/manage/crud.js';
import { createApiKey } from '../../src/server/keys.js';
import { Store } from '../../src/store/db.js';
import { basic } from '../server/helpers.js';
import { segmint, startServe } from '../helpers/serve.js';

/**
 * kill -9 of `segmint serve`, then what docs/realtime.md says a user may do while no server runs: run
 * read-only commands on the database (`segments list`, `status`), each a process of its own that opens
 * the file (replaying the write-ahead log the killed server left) and closes it. Then the server is
 * started, stopped cleanly and started again. The first start's catch-up records each change that came
 * due while down once, at its own instant; the second records nothing; and look-ups through the
 * customer_id indexes still find the rows the killed server committed. DuckDB 1.5 wrote those indexes
 * without the replayed rows at the read-only command's close, and the restarted server then aborted
 * (audit10, D1; the fix is in Store.open).
 */

const WINDOW_MS = 2000;
let dir: string;
let db: string;
let key: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'segmint-crash-read-'));
  db = join(dir, 'shop.duckdb');
  const store = await Store.open(db);
  key = (await createApiKey(store, ['write'], 'crash read-only test')).key;
  await createSegment(store, { name: 'pinged', definition: { query: `performed "Ping" within ${WINDOW_MS / 1000}s` } });
  // Members stay: their rows are what the look-ups through segment_members(customer_id) must find.
  await createSegment(store, { name: 'ever-pinged', definition: { query: 'performed "Ping"' } });
  store.close();
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
}

/** Starts `segmint serve`; resolves once it answers a request (its SIGTERM handler is set by then). */
async function serve(): Promise<Awaited<ReturnType<typeof startServe>>> {
  const s = await startServe(db);
  children.push(s.child);
  expect((await fetch(`${s.url}/health`)).status).toBe(200);
  return s;
}

/** Stops a server as Ctrl-C would and expects it to end normally. */
async function stop(s: Awaited<ReturnType<typeof startServe>>): Promise<void> {
  s.child.kill('SIGTERM');
  await exited(s.child);
  expect([s.child.exitCode, s.child.signalCode], s.stderr()).toEqual([0, null]);
}

it('after kill -9 and read-only commands, restarts record each due change once and the indexes find every row', async () => {
  const first = await serve();
  const sent = new Map<string, number>();
  for (const user of ['u0', 'u1', 'u2', 'u3']) {
    const t = Date.now();
    const res = await fetch(`${first.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(key) },
      body: JSON.stringify({ userId: user, event: 'Ping', timestamp: new Date(t).toISOString(), messageId: `ping-${user}` }),
    });
    expect(res.status).toBe(200);
    sent.set(user, t);
  }
  first.child.kill('SIGKILL');
  await exited(first.child);
  expect(first.child.signalCode).toBe('SIGKILL');

  // While no server runs: read-only commands, each opening and closing the file.
  for (const args of [['segments', 'list'], ['status']]) {
    const r = await segmint(['--db', db, ...args]);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }

  // Every exit from `pinged` comes due while no server runs.
  const lastDue = Math.max(...sent.values()) + WINDOW_MS;
  await new Promise((r) => setTimeout(r, Math.max(0, lastDue - Date.now()) + 100));
  // The catch-up runs before the server listens; a second start after a clean stop has nothing to record.
  await stop(await serve());
  await stop(await serve());

  const store = await Store.open(db, { create: false });
  try {
    const rows = await store.all<{ user: string; segment: string; customer_id: string; change: string; at: number }>(
      `SELECT i.value AS user, s.name AS segment, h.customer_id, h.change, epoch_ms(h.changed_at) AS at
       FROM segment_history h JOIN segments s USING (segment_id)
       JOIN identities i ON i.customer_id = h.customer_id AND i.kind = 'user_id' ORDER BY h.seq`,
    );
    for (const [user, t] of sent) {
      const mine = rows.filter((r) => r.user === user);
      // Each change once, in order; the exit from `pinged` at exactly t + the window (the catch-up's).
      const changes = (segment: string) => mine.filter((r) => r.segment === segment);
      expect(changes('ever-pinged').map((r) => r.change), user).toEqual(['entered']);
      expect(changes('pinged').map((r) => r.change), user).toEqual(['entered', 'exited']);
      expect(new Date(changes('pinged')[1]!.at).toISOString(), user).toBe(new Date(t + WINDOW_MS).toISOString());
      const customer = mine[0]!.customer_id;
      // Look-ups through the customer_id indexes find what the killed server committed.
      const members = await store.all<{ segment: string }>(
        'SELECT s.name AS segment FROM segment_members m JOIN segments s USING (segment_id) WHERE m.customer_id = $1',
        [customer],
      );
      expect(members.map((m) => m.segment), user).toEqual(['ever-pinged']);
      const events = await store.all<{ event: string }>('SELECT event FROM events WHERE customer_id = $1', [customer]);
      expect(events.map((e) => e.event), user).toEqual(['Ping']);
    }
  } finally {
    store.close();
  }
});
