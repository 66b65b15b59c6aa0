import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { ingestEvents } from '../../src/ingest/live/ingest.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { refreshSegments } from '../../src/segments/manage/refresh.js';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import type { Store } from '../../src/store/db.js';
import { decoyOf, escapeCorpus } from '../fixtures/segments/escape-corpus.js';
import { tempStore } from '../helpers/store.js';
import { basic } from '../server/helpers.js';

/**
 * The escape corpus (strings that break naive quoting, LIKE patterns and JSON paths) through every
 * endpoint of the privacy and fairness capabilities, in the path, the query and the body: each string
 * is taken literally (the customer holding it is exported and erased, its decoy is not), no answer is a
 * 500, and nothing else is harmed.
 */
const idOf = (s: string) => `u${s}`;

let t: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
let app: FastifyInstance;
let admin: string;
let writer: string;

const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
  const res = await app.inject({
    method,
    url,
    headers: { authorization: basic(admin), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, json: res.json() as Record<string, unknown> };
};

const TABLES = ['customers', 'identities', 'events', 'segments', 'api_keys'] as const;
const counts = async (): Promise<Record<(typeof TABLES)[number], number>> => {
  const out = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) out[table] = (await store.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
  return out;
};

beforeAll(async () => {
  t = await tempStore();
  store = t.store;
  const at = new Date('2024-06-01T00:00:00Z');
  const events: IncomingEvent[] = escapeCorpus.flatMap((s, i) =>
    [
      [`m${i}`, idOf(s), s],
      [`d${i}`, idOf(decoyOf(s)), decoyOf(s)],
    ].map(([mid, userId, v]) => ({ messageId: mid!, type: 'identify' as const, userId, timestamp: at, receivedAt: at, traits: { tag: v, [v!]: 'v' } })),
  );
  await store.transaction((tx) => ingestEvents(tx, events, 'test'));
  await createSegment(store, { name: 'everyone', definition: { query: 'tag exists' } });
  await refreshSegments(store, { asOf: at });
  admin = (await createApiKey(store, ['admin'])).key;
  writer = (await createApiKey(store, ['write'])).key;
  app = await buildApp({ store });
}, 120_000);

afterAll(async () => {
  await app.close();
  t.cleanup();
});

describe.each(escapeCorpus.map((s, i) => [JSON.stringify(s), s, i] as const))('%s', (_label, s) => {
  const enc = encodeURIComponent;

  it('exports exactly its holder, in the path', async () => {
    const r = await call('GET', `/v1/customers/${enc(idOf(s))}/export`);
    expect(r.status).toBe(200);
    const ids = (r.json.tables as { identities: { value: string }[] }).identities.map((x) => x.value);
    expect(ids).toEqual([idOf(s).trim()]);
  });

  it('is taken literally by the audits, the audit log, regulations and settings', async () => {
    const audit = await call('GET', `/v1/segments/everyone/audit?by=${enc(s)}&minGroup=1`);
    expect(audit.status, JSON.stringify(audit.json)).toBeLessThan(500);
    if (audit.status === 200 && !/[.,:]/.test(s) && s.trim() === s) {
      // a trait path that is the string itself (names are trimmed, and split at "." "," ":"): only its
      // holder has the trait (value "v")
      const groups = (audit.json.attributes as { groups: { group: string; base: number }[] }[])[0]!.groups;
      expect(groups.find((g) => g.group === 'v')?.base).toBe(1);
    }
    expect((await call('GET', `/v1/segments/${enc(s)}/audit?by=tag`)).status).toBe(404);
    expect((await call('GET', `/v1/propensity/audit?by=${enc(s)}`)).status).toBeLessThan(500);
    const log = await call('GET', `/v1/audit?action=${enc(s)}&actor=${enc(s)}`);
    expect(log.status).toBe(200);
    expect(log.json).toEqual([]);
    expect((await call('GET', `/v1/regulations/${enc(s)}`)).status).toBe(404);
    const setting = await call('PUT', `/v1/config/${enc(s)}`, { value: s });
    expect(setting.json.error).toBe('unknown_setting');
  });
});

describe('erasure of every corpus string at once', () => {
  it('erases each holder and no decoy, suppresses exactly those identifiers, and harms nothing else', async () => {
    const before = await counts();
    const r = await call('POST', '/v1/regulations', { identifiers: escapeCorpus.map(idOf), reason: 'escape corpus, ticket 9' });
    expect(r.status).toBe(202);
    let status = r.json;
    while (status.status === 'pending' || status.status === 'running') {
      await new Promise((res) => setTimeout(res, 20));
      status = (await call('GET', `/v1/regulations/${String(r.json.regulationId)}`)).json;
    }
    expect(status).toMatchObject({ status: 'finished', customersErased: escapeCorpus.length, identifiersNotFound: 0 });
    const after = await counts();
    expect(after).toEqual({ ...before, customers: before.customers - escapeCorpus.length, identities: before.identities - escapeCorpus.length, events: before.events - escapeCorpus.length });
    for (const s of escapeCorpus) {
      expect((await call('GET', `/v1/customers/${encodeURIComponent(idOf(s))}/export`)).json.error, s).toBe('customer_erased');
      expect((await call('GET', `/v1/customers/${encodeURIComponent(idOf(decoyOf(s)))}/export`)).status, decoyOf(s)).toBe(200);
      const again = await app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { authorization: basic(writer), 'content-type': 'application/json' },
        payload: JSON.stringify({ batch: [{ type: 'identify', userId: idOf(s) }, { type: 'identify', userId: idOf(decoyOf(s)) }] }),
      });
      // The HTTP API refuses control characters in identifiers outright (ingest's rule), before any
      // suppression check; every other string comes back suppressed beside its stored decoy.
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(idOf(s))) expect(again.json(), s).toMatchObject({ error: 'invalid_events' });
      else expect(again.json(), s).toMatchObject({ stored: 1, suppressed: 1 });
    }
  }, 120_000);
});
