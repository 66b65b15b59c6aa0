import { beforeAll, describe, expect, it } from 'vitest';
import { registerAllFields } from '../../src/fields.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import type { Store } from '../../src/store/db.js';
import { testServer, type TestServer } from './helpers.js';

/**
 * Group commit (src/ingest/live/committer.ts) stores the requests that wait for the database in one
 * transaction. Sent all at once, 30 requests (five of them invalid, several repeating message ids and
 * merging people across requests) must get the answers they get when sent one by one in the same order,
 * and leave the same rows: events, identities and merges, traits, consent, orders and their metrics, and
 * the live segments' members.
 */

const SEGMENTS: Record<string, string> = {
  pro: 'traits.plan = "pro"',
  emailable: 'consent email = granted',
  buyers: 'orders_count >= 1',
};

const REQUESTS = 30;
const at = (minute: number) => new Date(Date.UTC(2024, 5, 1) + minute * 60_000).toISOString();

/** Request r: 12 messages over shared people, with aliases, traits, consent and orders; every 6th is invalid. */
function request(r: number): { batch: Record<string, unknown>[] } {
  const batch: Record<string, unknown>[] = [];
  for (let i = 0; i < 12; i++) {
    const k = (r * 7 + i * 3) % 23;
    // Times interleave across requests, so a group's event-time order mixes them.
    const base = { userId: `u${k % 11}`, anonymousId: `a${k}`, messageId: `r${r}-m${i}`, timestamp: at(((i * 37 + r * 13) % 400) + 1) };
    if (i === 0) batch.push({ ...base, type: 'identify', traits: { email: `u${k % 11}@example.com`, plan: (r + i) % 3 === 0 ? 'pro' : 'free' } });
    else if (i === 1) batch.push({ ...base, type: 'track', event: 'Signed Up', context: { consent: { categoryPreferences: { email: r % 4 !== 1 } } } });
    else if (i === 2) batch.push({ type: 'alias', userId: `u${(k + 5) % 11}`, previousId: `a${(k + 9) % 23}`, messageId: base.messageId, timestamp: base.timestamp });
    else if (i === 3) {
      batch.push({ ...base, type: 'track', event: 'Order Completed', properties: { order_id: `o${r}`, products: [{ product_id: `p${k % 5}`, price: 10 + k, quantity: 1 + (i % 3) }] } });
    } else if (i === 4) {
      // The same message in several requests: stored once, credited to the first request sent.
      batch.push({ ...base, messageId: `shared-${r % 5}`, type: 'track', event: 'Shared' });
    } else if (i === 5 && r % 6 === 5) batch.push({ ...base, type: 'track', event: 'Bad', timestamp: 'yesterday' });
    else batch.push({ ...base, type: 'page', name: `Page ${i}`, properties: { path: `/p/${k}`, n: i } });
  }
  return { batch };
}

// Columns set from the clock when a request arrives or a row is written, which differ between two runs.
const TABLES: Record<string, string> = {
  events: 'SELECT message_id, type, event, customer_id, user_id, anonymous_id, timestamp, properties::VARCHAR p, traits::VARCHAR t, context::VARCHAR c, source FROM events',
  identities: 'SELECT kind, value, customer_id, first_seen_at FROM identities',
  customers: 'SELECT customer_id, created_at, traits::VARCHAR t, merged_into FROM customers',
  merges: 'SELECT survivor_id, absorbed_id, reason, identifier_kind, identifier_value, refused, message_id FROM merges',
  trait_times: 'SELECT customer_id, trait, decided_at, source FROM trait_times',
  consent: 'SELECT customer_id, channel, status, source FROM consent',
  consent_history: 'SELECT customer_id, channel, status, decided_at, source FROM consent_history',
  orders: 'SELECT order_id, customer_id, kind, placed_at, revenue, currency, message_id, source FROM orders',
  order_lines: 'SELECT * FROM order_lines',
  order_conflicts: 'SELECT order_id, outcome, kept_customer_id, kept_source, other_customer_id, other_source, other_message_id FROM order_conflicts',
  customer_metrics: 'SELECT * EXCLUDE (updated_at) FROM customer_metrics',
  segment_members: 'SELECT s.name, m.customer_id FROM segment_members m JOIN segments s USING (segment_id)',
};

/**
 * A customer's traits as an object with its keys sorted: a commit writes identify traits before consent
 * traits (email_consent), so the order of the keys in the stored JSON text follows the commit, not the
 * request; the traits themselves are the same.
 */
function sortedTraits(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  const traits = JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(traits).sort().map((k) => [k, traits[k]]));
}

async function tables(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [name, sql] of Object.entries(TABLES)) {
    const rows = (await store.all<Record<string, unknown>>(sql)).map((r) => (name === 'customers' ? { ...r, t: sortedTraits(r.t) } : r));
    out[name] = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).sort();
  }
  return out;
}

async function server(): Promise<{ s: TestServer; commits: () => number }> {
  const s = await testServer();
  for (const [name, query] of Object.entries(SEGMENTS)) await createSegment(s.store, { name, definition: { query } });
  await s.app.segmint.realtime?.resync();
  let n = 0;
  s.app.segmint.committer.onCommit(() => void n++);
  return { s, commits: () => n };
}

describe('group commit', () => {
  const bodies = Array.from({ length: REQUESTS }, (_, r) => request(r));
  let oneByOne: { answers: unknown[]; rows: Record<string, string[]> };
  let together: { answers: unknown[]; rows: Record<string, string[]>; commits: number };
  beforeAll(async () => {
    registerAllFields();
    const a = await server();
    const answersA = [];
    for (const body of bodies) answersA.push(await a.s.post('/v1/batch', body));
    oneByOne = { answers: answersA.map((x) => ({ status: x.status, json: x.json })), rows: await tables(a.s.store) };
    await a.s.cleanup();

    const b = await server();
    // Whether concurrent requests share a commit must not depend on the machine's speed: on a loaded
    // machine each body was read after the previous commit had ended, and every request committed alone.
    // So the first commit waits (inside its transaction) until every valid request is queued behind it.
    // The API key is looked up once first: a lookup reads the database, which the held commit would block.
    await b.s.post('/v1/batch', { batch: [] });
    const committer = b.s.app.segmint.committer;
    // And no limit by time: the held first commit would make the estimate of a commit's cost say every
    // group is too long (that limit has its own tests: test/ingest/commit-limit.test.ts).
    committer.limitCommits(() => undefined);
    let queued = 0;
    let release = (): void => undefined;
    const allQueued = new Promise<void>((r) => (release = r));
    const submit = committer.submit.bind(committer);
    committer.submit = (events) => {
      if (++queued === REQUESTS - 5) release();
      return submit(events);
    };
    // A bound, so that a request that never comes fails the assertion below instead of hanging the suite.
    const held = committer.withinCommit(() => Promise.race([allQueued, new Promise<void>((r) => setTimeout(r, 10_000))]));
    const answersB = await Promise.all(bodies.map((body) => b.s.post('/v1/batch', body)));
    held();
    together = { answers: answersB.map((x) => ({ status: x.status, json: x.json })), rows: await tables(b.s.store), commits: b.commits() };
    await b.s.cleanup();
  });

  it('shares commits between concurrent requests', () => {
    const valid = oneByOne.answers.filter((a) => (a as { status: number }).status === 200).length;
    expect(valid).toBe(REQUESTS - 5);
    // the first request alone, then the other 24 queued behind it in one group
    expect(together.commits).toBe(2);
  });

  it('answers each request as it is answered alone: counts for the good ones, the item and field for the bad', () => {
    expect(together.answers).toEqual(oneByOne.answers);
    const bad = oneByOne.answers[5] as { status: number; json: { code: string; details: { items: unknown[] } } };
    expect(bad.status).toBe(400);
    expect(bad.json.details.items).toEqual([expect.objectContaining({ index: 5, field: 'timestamp' })]);
    const first = oneByOne.answers[0] as { json: Record<string, number> };
    expect(first.json).toEqual({ success: true, stored: 12, duplicates: 0, suppressed: 0 });
  });

  it('leaves the same rows as the requests sent one by one', () => {
    expect(together.rows.events).toHaveLength((REQUESTS - 5) * 11 + 5);
    expect(together.rows.segment_members?.length).toBeGreaterThan(0);
    expect(together.rows.merges?.length).toBeGreaterThan(0);
    for (const name of Object.keys(TABLES)) expect({ name, rows: together.rows[name] }).toEqual({ name, rows: oneByOne.rows[name] });
  });
});
