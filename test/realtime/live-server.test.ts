import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAllFields } from '../../src/fields.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';
import { basic } from '../server/helpers.js';
import { eventually, segmint } from '../helpers/serve.js';

/**
 * On a running server (real HTTP, the machine's clock), for each kind of definition: a membership
 * changes as soon as the event is acknowledged (it is recorded in the same transaction), and a change
 * that time alone brings is recorded at its exact instant, within a second of it.
 */

// Each kind of definition, with a time limit of seconds so that time-based changes happen during the test.
const SEGMENTS: Record<string, string> = {
  pinged: 'performed "Ping" within 2s',
  tipped: 'sum of amount in "Tip" within 2s >= 10',
  new_signup: 'first performed "Signup" within 2s',
  abandoned: 'performed "Checkout Started" then not "Order Completed" within 2s',
  ordered_lately: 'last_order_at > -2s',
  order_aged: 'days_since_last_order >= 0.00002',
  trial_over: 'traits.trial_ends < -1s',
  pro: 'traits.plan = "pro"',
  emailable: 'consent email = granted',
  pinged_pro: 'in segment "pinged" and traits.plan = "pro"',
  scored: 'rfm.r >= 1',
};

let store: Store;
let server: RunningServer;
let db: string;
let cleanup: () => void;
let writeKey: string;
let readKey: string;
const stalls = monitorEventLoopDelay({ resolution: 10 });

beforeAll(async () => {
  registerAllFields();
  const t = await tempStore();
  store = t.store;
  db = t.path;
  cleanup = t.cleanup;
  writeKey = (await createApiKey(store, ['write'], 'test')).key;
  readKey = (await createApiKey(store, ['read'], 'test')).key;
  for (const [name, query] of Object.entries(SEGMENTS)) await createSegment(store, { name, definition: { query } });
  server = await startServer({ store, port: 0, host: '127.0.0.1' });
  stalls.enable();
});
afterAll(async () => {
  stalls.disable();
  await server?.close();
  cleanup();
});

async function send(batch: Record<string, unknown>[]): Promise<void> {
  const res = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic(writeKey) },
    body: JSON.stringify({ batch }),
  });
  expect(res.status).toBe(200);
}

async function segmentsOf(id: string): Promise<string[]> {
  const res = await fetch(`${server.url}/v1/customers/${encodeURIComponent(id)}/segments`, { headers: { authorization: basic(readKey) } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { segments: { name: string }[] }).segments.map((s) => s.name);
}

/** The change of a segment for a user if recorded: when it came true and when it was recorded. */
async function recorded(segment: string, userId: string, kind: 'entered' | 'exited'): Promise<{ at: number; recorded: number } | undefined> {
  return store.one<{ at: number; recorded: number }>(
    `SELECT epoch_ms(h.changed_at) AS at, epoch_ms(h.recorded_at) AS recorded FROM segment_history h
     JOIN segments s USING (segment_id) JOIN identities i ON i.customer_id = h.customer_id
     WHERE s.name = $1 AND i.kind = 'user_id' AND i.value = $2 AND h.change = $3`,
    [segment, userId, kind],
  );
}

/** The same, waited for. */
function change(segment: string, userId: string, kind: 'entered' | 'exited'): Promise<{ at: number; recorded: number }> {
  return eventually(() => recorded(segment, userId, kind), `${segment} ${kind} for ${userId}`);
}

/**
 * A time-based change came true at `due`, to the millisecond, and was recorded within a second of it,
 * not counting time this process was not running at all (the machine is shared: its longest stall is
 * measured and added). When the data itself was acknowledged only after `due` (a loaded machine), the
 * change is dated when the data arrived, between `due` and the acknowledgement.
 */
function onTime(c: { at: number; recorded: number }, due: number, acked = -Infinity): void {
  if (acked < due) expect(new Date(c.at).toISOString()).toBe(new Date(due).toISOString());
  else {
    expect(c.at).toBeGreaterThanOrEqual(due);
    expect(c.at).toBeLessThanOrEqual(acked);
  }
  const stalled = stalls.max / 1e6;
  expect(c.recorded - c.at, `recorded ${c.recorded - c.at} ms late; longest stall ${Math.round(stalled)} ms`).toBeLessThan(1000 + stalled);
}

const iso = (t: number): string => new Date(t).toISOString();

describe('real-time membership on a running server', () => {
  it('changes when the event is acknowledged over HTTP, and at the exact instant time alone changes it', async () => {
    const t = Date.now();
    await send([
      { type: 'track', userId: 'p1', event: 'Ping', timestamp: iso(t), messageId: 'p1' },
      { type: 'track', userId: 't1', event: 'Tip', properties: { amount: 10 }, timestamp: iso(t), messageId: 't1' },
      { type: 'track', userId: 's1', event: 'Signup', timestamp: iso(t), messageId: 's1' },
      { type: 'track', userId: 'c1', event: 'Checkout Started', timestamp: iso(t), messageId: 'c1' },
      { type: 'track', userId: 'o1', event: 'Order Completed', properties: { order_id: 'o-1', revenue: 20 }, timestamp: iso(t), messageId: 'o1' },
      { type: 'identify', userId: 'r1', traits: { trial_ends: iso(t), plan: 'pro' }, timestamp: iso(t), messageId: 'r1' },
      { type: 'identify', userId: 'e1', context: { consent: { categoryPreferences: { email: true } } }, timestamp: iso(t), messageId: 'e1' },
      { type: 'track', userId: 'r1', event: 'Ping', timestamp: iso(t), messageId: 'r1-ping' },
    ]);
    // Data-caused: recorded in the same transaction as the events, so there as soon as the 200 arrives
    // (read at once, not waited for), at an instant between sending and the answer.
    const acked = Date.now();
    for (const [segment, user] of [['pinged', 'p1'], ['tipped', 't1'], ['new_signup', 's1'], ['ordered_lately', 'o1'], ['pro', 'r1'], ['pinged_pro', 'r1'], ['emailable', 'e1']]) {
      const entered = await recorded(segment!, user!, 'entered');
      expect(entered, `${segment} for ${user}`).toBeDefined();
      expect(entered!.at).toBeGreaterThanOrEqual(t);
      expect(entered!.at).toBeLessThanOrEqual(acked);
    }
    expect(await recorded('abandoned', 'c1', 'entered')).toBeUndefined();
    // and the customer's segments answer from memory, by any identifier
    expect(await segmentsOf('e1')).toEqual(['emailable']);
    expect(await segmentsOf('r1')).toEqual(expect.arrayContaining(['pro']));

    // Time-based: each at its instant.
    onTime(await change('pinged', 'p1', 'exited'), t + 2000, acked);
    onTime(await change('tipped', 't1', 'exited'), t + 2000, acked);
    onTime(await change('new_signup', 's1', 'exited'), t + 2000, acked);
    onTime(await change('abandoned', 'c1', 'entered'), t + 2000, acked);
    onTime(await change('ordered_lately', 'o1', 'exited'), t + 2000, acked);
    onTime(await change('order_aged', 'o1', 'entered'), t + 1728, acked);
    onTime(await change('trial_over', 'r1', 'entered'), t + 1001, acked);
    onTime(await change('pinged_pro', 'r1', 'exited'), t + 2000, acked);
    expect(await segmentsOf('r1')).toEqual(['pro', 'trial_over']);

    // A later order within the time limit takes the abandoned checkout out again.
    await send([{ type: 'track', userId: 'c1', event: 'Order Completed', properties: { order_id: 'o-2', revenue: 5 }, timestamp: iso(t + 1500), messageId: 'c1-order' }]);
    expect(await segmentsOf('c1')).not.toContain('abandoned');
    expect((await recorded('abandoned', 'c1', 'exited'))!.at).toBeGreaterThan(t + 2000);
  });

  it('updates membership when a CLI command on the served database recomputes RFM scores', async () => {
    await send([{ type: 'track', userId: 'b1', event: 'Order Completed', properties: { order_id: 'o-b1', revenue: 30 }, timestamp: iso(Date.now()), messageId: 'b1' }]);
    expect(await segmentsOf('b1')).not.toContain('scored');
    const r = await segmint(['--db', db, 'rfm', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The command returns once the engine has applied what it wrote.
    expect(await segmentsOf('b1')).toContain('scored');
  });
});
