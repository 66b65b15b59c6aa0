import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { ingestEvents } from '../../src/ingest/live/ingest.js';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import type { Store } from '../../src/store/db.js';
import { escapeCorpus } from '../fixtures/segments/escape-corpus.js';
import { tempStore } from '../helpers/store.js';
import { basic, UNLIMITED } from './helpers.js';

/**
 * The escape corpus through every route of the running app, with an admin key: each string in every path
 * parameter, every query field and every body field the route's schema declares. No answer may be a
 * 500 (a string that reached SQL text would break it), and the data is as it was: no table dropped, no
 * row of another customer touched. Routes come from the app itself, so a new endpoint is covered without
 * a line here; test/privacy/escape.test.ts and test/server/read-api.test.ts check that the privacy and
 * read endpoints also take each string literally.
 */
// Routes that rewrite the whole database file on every call: the corpus goes through them, each string
// matched literally, in test/privacy/escape.test.ts (one batch, one rewrite).
const REWRITES = new Set(['DELETE /v1/customers/:id', 'POST /v1/regulations', 'POST /v1/retention/run']);

let t: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
let app: FastifyInstance;
let admin: string;

const snapshot = async () => ({
  tables: (await store.all<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1")).map((r) => r.t),
  customers: await store.all('SELECT customer_id, traits::VARCHAR AS traits FROM customers ORDER BY 1'),
  identities: await store.all('SELECT kind, value, customer_id FROM identities ORDER BY 1, 2'),
  events: (await store.one<{ n: number }>('SELECT count(*) AS n FROM events'))!.n,
});

beforeAll(async () => {
  t = await tempStore();
  store = t.store;
  const at = new Date('2024-06-01T00:00:00Z');
  const events: IncomingEvent[] = ['ann', 'bob', 'cy'].map((u, i) => ({
    messageId: `m${i}`,
    type: 'identify',
    userId: u,
    timestamp: at,
    receivedAt: at,
    traits: { email: `${u}@example.com`, plan: i % 2 ? 'pro' : 'free' },
  }));
  await store.transaction((tx) => ingestEvents(tx, events, 'test'));
  admin = (await createApiKey(store, ['admin'], 'admin')).key;
  app = await buildApp({ store, workflows: false, limits: UNLIMITED });
}, 60_000);

afterAll(async () => {
  await app.close();
  t.cleanup();
});

describe('every route, every corpus string, in every place a route takes one', () => {
  it('answers each without a 500 and leaves the data as it was', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const routes = app.routeList.filter(
      (r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && (r.url.startsWith('/v1/') || r.url === '/health') && !REWRITES.has(`${r.method} ${r.url}`),
    );
    expect(routes.length).toBeGreaterThan(100);
    for (const r of routes) {
      for (const s of escapeCorpus) {
        const path = r.url.replace(/:(\w+)/g, () => encodeURIComponent(s));
        const query = r.query.map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(s)}`).join('&');
        const hasBody = ['POST', 'PUT', 'PATCH'].includes(r.method);
        const res = await app.inject({
          method: r.method as 'GET',
          url: query ? `${path}?${query}` : path,
          headers: { authorization: basic(admin), ...(hasBody ? { 'content-type': 'application/json' } : {}) },
          payload: hasBody ? JSON.stringify(Object.fromEntries(r.body.map((k) => [k, s]))) : undefined,
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500 || res.statusCode === 401 || res.statusCode === 403 || res.statusCode === 429) failures.push(`${r.method} ${r.url} with ${JSON.stringify(s)}: ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    // Most strings get past validation to a handler (200, 201, 202 or a 404 for what does not exist).
    expect([...statuses].filter(([code]) => code < 300 || code === 404).reduce((a, [, n]) => a + n, 0)).toBeGreaterThan(routes.length * 5);
    expect(await snapshot()).toEqual(before);
  }, 300_000);
});
