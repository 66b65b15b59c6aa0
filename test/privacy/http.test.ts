import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import { formatRegulation } from '../../src/privacy/format.js';
import { RegulationRunner, requestErasure, type Regulation } from '../../src/privacy/regulations.js';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';
import { basic } from '../server/helpers.js';

const SHOPIFY = fileURLToPath(new URL('../fixtures/import/shopify-orders.csv', import.meta.url));

let t: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
let app: FastifyInstance;
let admin: string;
let adminId: string;
let writer: string;

const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, key: string | null, body?: unknown) => {
  const res = await app.inject({
    method,
    url,
    headers: { ...(key ? { authorization: basic(key) } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, json: res.json() as Record<string, unknown>, headers: res.headers };
};

async function until(id: string): Promise<Record<string, unknown>> {
  for (;;) {
    const r = await call('GET', `/v1/regulations/${id}`, admin);
    if (r.json.status === 'finished' || r.json.status === 'failed') return r.json;
    await new Promise((res) => setTimeout(res, 20));
  }
}

beforeAll(async () => {
  t = await tempStore();
  store = t.store;
  await importFile(store, SHOPIFY);
  const a = await createApiKey(store, ['admin'], 'ops');
  admin = a.key;
  adminId = a.keyId;
  writer = (await createApiKey(store, ['write'], 'site')).key;
  app = await buildApp({ store });
  // Two people known by the same value: a user id of one is an external id of the other.
  for (const body of [
    { userId: '777', messageId: 'a1', traits: { email: 'amb-one@example.com' } },
    { userId: 'u-888', messageId: 'a2', context: { externalIds: [{ type: 'loyalty', id: '777', collection: 'users', encoding: 'none' }] } },
  ]) {
    expect((await call('POST', '/v1/identify', writer, body)).status).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await app.close();
  t.cleanup();
});

describe('erasure and subject access over HTTP', () => {
  it('exports everything about a person with the admin scope, and refuses other keys', async () => {
    expect((await call('GET', '/v1/customers/jane@example.com/export', null)).status).toBe(401);
    expect((await call('GET', '/v1/customers/jane@example.com/export', writer)).status).toBe(403);
    const r = await call('GET', '/v1/customers/jane@example.com/export', admin);
    expect(r.status).toBe(200);
    const tables = r.json.tables as Record<string, Record<string, unknown>[]>;
    expect(tables.identities!.map((i) => i.value)).toEqual(['jane@example.com']);
    expect((tables.customers![0]!.traits as Record<string, unknown>).name).toBe('Jane Doe');
    expect(tables.orders!.length).toBeGreaterThan(0);
    expect(r.json.scores).toBeDefined();
  });

  it('erases with DELETE /v1/customers/{id}, waiting until the file is rewritten', async () => {
    expect((await call('DELETE', '/v1/customers/jane@example.com', writer)).status).toBe(403);
    const r = await call('DELETE', '/v1/customers/jane@example.com?reason=ticket%2042', admin);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'finished', customersErased: 1, fileRewritten: true, reason: 'ticket 42', requestedBy: `key:${adminId}` });
    const again = await call('GET', '/v1/customers/jane@example.com/export', admin);
    expect(again.status).toBe(404);
    expect(again.json.error).toBe('customer_erased');
    // every route that looks a person up answers the documented code (privacy.md), not customer_not_found (trial 6, D14)
    for (const path of ['/v1/customers/jane@example.com', '/v1/customers/jane@example.com/segments']) {
      const r2 = await call('GET', path, admin);
      expect([r2.status, r2.json.error], path).toEqual([404, 'customer_erased']);
    }
    expect((await call('GET', '/v1/customers/never-seen@example.com', admin)).json.error).toBe('customer_not_found');
  });

  it('asks for the id of an erasure request when it is empty, and quotes an unknown one', async () => {
    const empty = await call('GET', '/v1/regulations/', admin);
    expect([empty.status, empty.json.error]).toEqual([400, 'regulation_id_missing']);
    expect(empty.json.message).toMatch(/^Give the id of an erasure request/);
    const unknown = await call('GET', '/v1/regulations/reg_nope', admin);
    expect([unknown.status, unknown.json.message]).toEqual([404, 'No erasure request has the id "reg_nope"; GET /v1/regulations lists the recent ones.']);
  });

  it('takes a list with POST /v1/regulations and answers 202 with a request to poll', async () => {
    const r = await call('POST', '/v1/regulations', admin, { identifiers: ['JOHN@example.com', 'nobody-yet@example.com'], reason: 'GDPR request 17' });
    expect(r.status).toBe(202);
    expect(r.headers.location).toBe(`/v1/regulations/${String(r.json.regulationId)}`);
    expect(['pending', 'running', 'finished']).toContain(r.json.status);
    const done = await until(String(r.json.regulationId));
    expect(done).toMatchObject({ status: 'finished', customersErased: 1, identifiersNotFound: 1, identifiersSuppressed: 2 });
    // The email that matched no one is suppressed all the same: an identify carrying it is dropped.
    const live = await call('POST', '/v1/identify', writer, { userId: 'later', traits: { email: 'Nobody-Yet@example.com' } });
    expect(live.json).toMatchObject({ stored: 0, suppressed: 1 });
  });

  it('refuses an identifier naming two people, and a reason naming the person, erasing nothing', async () => {
    const amb = await call('POST', '/v1/regulations', admin, { identifiers: ['777'] });
    const failed = await until(String(amb.json.regulationId));
    expect(failed.status).toBe('failed');
    expect(String(failed.error)).toMatch(/names 2 customers.*Name each by its customer id/);
    const direct = await call('DELETE', '/v1/customers/777', admin);
    expect(direct.status).toBe(409);
    expect(direct.json.error).toBe('customer_ambiguous');
    const named = await call('DELETE', `/v1/customers/amb-one@example.com?reason=${encodeURIComponent('asked by AMB-ONE@example.com')}`, admin);
    expect(named.status).toBe(400);
    expect(named.json.error).toBe('reason_names_person');
    expect((await call('GET', '/v1/customers/amb-one@example.com/export', admin)).status).toBe(200);
  });

  it('lists requests with counts only, and checks its input', async () => {
    const list = await call('GET', '/v1/regulations', admin);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.json)).not.toMatch(/example\.com/);
    expect((await call('POST', '/v1/regulations', admin, { identifiers: [] })).status).toBe(400);
    expect((await call('POST', '/v1/regulations', admin, { identifiers: ['  '] })).json.error).toBe('bad_identifier');
    expect((await call('GET', '/v1/regulations/reg_nope', admin)).status).toBe(404);
  });

  it('records admin actions in the audit log, with the key and the route pattern, never the identifier in the URL', async () => {
    const r = await call('GET', '/v1/audit?limit=50', admin);
    expect(r.status).toBe(200);
    const entries = r.json as unknown as { actor: string; action: string; target: string | null; status: number }[];
    expect(entries.some((e) => e.action === 'DELETE /v1/customers/:id' && e.status === 200 && e.actor === `key:${adminId}` && e.target?.startsWith('reg_'))).toBe(true);
    expect(entries.some((e) => e.action === 'POST /v1/regulations' && e.status === 202)).toBe(true);
    expect(entries.some((e) => e.action === 'GET /v1/customers/:id/export' && e.status === 200)).toBe(true);
    // The write key refused on an admin route is recorded too (its key, 403).
    expect(entries.some((e) => e.action === 'DELETE /v1/customers/:id' && e.status === 403 && e.actor.startsWith('key:'))).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/jane|john|example\.com/i);
    expect((await call('GET', '/v1/audit', writer)).status).toBe(403);
    // `--action erase` (docs/privacy.md) finds erasures asked over HTTP, whose log names the route
    const erasures = (await call('GET', '/v1/audit?limit=50&action=erase', admin)).json as unknown as { action: string }[];
    expect(new Set(erasures.map((e) => e.action))).toEqual(new Set(['DELETE /v1/customers/:id', 'POST /v1/regulations']));
    const exports = (await call('GET', '/v1/audit?limit=50&action=customers%20export', admin)).json as unknown as { action: string }[];
    expect(new Set(exports.map((e) => e.action))).toEqual(new Set(['GET /v1/customers/:id/export']));
  });
});

describe('the request runner', () => {
  it('erases requests that arrive together in one batch, with one rewrite of the file', async () => {
    const ids: string[] = [];
    for (const v of ['batch-a@example.com', 'batch-b@example.com', 'batch-c@example.com']) {
      expect((await call('POST', '/v1/identify', writer, { anonymousId: `dev-${v}`, traits: { email: v } })).json).toMatchObject({ stored: 1 });
      ids.push(await requestErasure(store, { identifiers: [v], actor: 'test' }));
    }
    const rewrite = vi.spyOn(store, 'rewriteFile');
    const runner = new RegulationRunner(store);
    const done = await Promise.all(ids.map((id) => runner.run(id)));
    expect(done.map((r) => r.status)).toEqual(['finished', 'finished', 'finished']);
    expect(rewrite).toHaveBeenCalledTimes(1);
    rewrite.mockRestore();
  });

  // trial 11, C6: the answers of requests that find the person already erased count each identifier once
  it('answers an erasure that finds the person already erased exactly, without rewriting the file', async () => {
    expect((await call('POST', '/v1/identify', writer, { userId: 'dd1', traits: { email: 'dd1@example.com' } })).json).toMatchObject({ stored: 1 });
    const rewrite = vi.spyOn(store, 'rewriteFile');
    const answers = await Promise.all([1, 2, 3].map(() => call('DELETE', '/v1/customers/dd1?reason=t6', admin)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const byErased = [...answers.map((a) => a.json)].sort((a, b) => Number(b.customersErased) - Number(a.customersErased));
    expect(byErased[0]).toMatchObject({ customersErased: 1, identifiersNotFound: 0, identifiersAlreadyErased: 0, fileRewritten: true });
    for (const noop of byErased.slice(1)) {
      expect(noop).toMatchObject({ status: 'finished', identifiers: 1, customersErased: 0, identifiersNotFound: 0, identifiersAlreadyErased: 1 });
      expect(noop).toMatchObject({ identifiersSuppressed: 0, ordersAnonymised: 0, rowsDeleted: {}, fileRewritten: false });
    }
    expect(rewrite).toHaveBeenCalledTimes(1);
    // Both identifiers of the erased person, and one value never seen: each counted once.
    const later = await call('POST', '/v1/regulations', admin, { identifiers: ['dd1', 'DD1@example.com', 'never-dd1@example.com'], reason: 't6' });
    const done = await until(String(later.json.regulationId));
    expect(done).toMatchObject({ identifiers: 3, customersErased: 0, identifiersNotFound: 1, identifiersAlreadyErased: 2, identifiersSuppressed: 1, fileRewritten: false });
    expect(rewrite).toHaveBeenCalledTimes(1);
    rewrite.mockRestore();
    const text = formatRegulation(done as unknown as Regulation);
    expect(text).toContain('2 identifiers had been erased before.');
    expect(text).toContain('1 identifier matched no customer');
    expect(text).toContain('Nothing was deleted, so the database file was not rewritten.');
  });
});
