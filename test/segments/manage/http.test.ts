import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.js';
import { createApiKey } from '../../../src/server/keys.js';
import type { Store } from '../../../src/store/db.js';
import { profiles } from '../../fixtures/segments/conformance-worlds.js';
import { loadWorld } from '../../fixtures/segments/world.js';
import { tempStore } from '../../helpers/store.js';

// The segments routes as the server serves them.
let app: FastifyInstance;
let store: Store;
let cleanup: () => void;
let admin: Record<string, string>;
let writer: Record<string, string>;

beforeAll(async () => {
  const t = await tempStore();
  store = t.store;
  cleanup = t.cleanup;
  await loadWorld(store, profiles);
  admin = { authorization: `Bearer ${(await createApiKey(store, ['admin'])).key}` };
  writer = { authorization: `Bearer ${(await createApiKey(store, ['write'])).key}` };
  // Refreshed membership as of the fixture's dates, as the CLI computes it: without the live engine, which
  // keeps segments current as of now (test/realtime covers the live server).
  app = await buildApp({ store, realtime: false });
});
afterAll(async () => {
  await app.close();
  cleanup();
});

describe('/v1/segments', () => {
  it('needs an admin key', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/segments' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/v1/segments', headers: writer })).statusCode).toBe(403);
  });

  it('previews, creates, refreshes, lists, explains, exports, and deletes', async () => {
    const preview = await app.inject({ method: 'POST', url: '/v1/segments/preview', headers: admin, payload: { query: 'country = "DE"', asOf: '2024-06-30' } });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ count: 2, base: 5 });

    const created = await app.inject({ method: 'POST', url: '/v1/segments', headers: admin, payload: { name: 'de', query: 'country = "DE"', description: 'Germany' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'de', query: 'country = "DE"', description: 'Germany', members: 0, refreshedAt: null });

    const refreshed = await app.inject({ method: 'POST', url: '/v1/segments/refresh', headers: admin, payload: { asOf: '2024-06-30' } });
    expect(refreshed.json().segments[0]).toMatchObject({ name: 'de', entered: 2, members: 2 });

    const list = await app.inject({ method: 'GET', url: '/v1/segments', headers: admin });
    expect(list.json()).toEqual([expect.objectContaining({ name: 'de', members: 2, refreshedAsOf: '2024-06-30T00:00:00.000Z' })]);

    const members = await app.inject({ method: 'GET', url: '/v1/segments/de/members?limit=1', headers: admin });
    expect(members.json()).toMatchObject({ total: 2, members: [{ customer_id: 'a' }] });

    const why = await app.inject({ method: 'GET', url: '/v1/segments/de/explain/b?asOf=2024-06-30', headers: admin });
    expect(why.json()).toMatchObject({ customerId: 'b', member: false, explanation: { result: 'false' } });

    const csv = await app.inject({ method: 'GET', url: '/v1/segments/de/export?fields=customer_id,country', headers: admin });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toBe('customer_id,country\na,DE\ne,DE\n');
    // An ads audience is consent-filtered; who was left out travels in headers, not in the file.
    const audience = await app.inject({ method: 'GET', url: '/v1/segments/de/export?audience=true', headers: admin });
    expect(audience.body).toBe('email\n');
    expect(audience.headers).toMatchObject({ 'x-segmint-consent-channel': 'ads', 'x-segmint-left-out-denied': '0', 'x-segmint-left-out-no-consent': '2' });

    const history = await app.inject({ method: 'GET', url: '/v1/segments/de/history?changes=true', headers: admin });
    expect(history.json().changes).toHaveLength(2);

    const patched = await app.inject({ method: 'PATCH', url: '/v1/segments/de', headers: admin, payload: { notes: 'for the Berlin event' } });
    expect(patched.json()).toMatchObject({ notes: 'for the Berlin event', query: 'country = "DE"' });

    expect((await app.inject({ method: 'DELETE', url: '/v1/segments/de', headers: admin })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/v1/segments/de', headers: admin })).statusCode).toBe(404);
  });

  it('answers a definition that does not parse with 400 and its diagnostics', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/segments/preview', headers: admin, payload: { query: 'orders_count >> 3' } });
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.error).toBe('segment_syntax');
    expect(body.details.diagnostics[0]).toMatchObject({ severity: 'error', line: 1 });
    const bad = await app.inject({ method: 'POST', url: '/v1/segments', headers: admin, payload: { name: 'x', definition: { kind: 'nope' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('segment_json_invalid');
  });

  it('appears in the OpenAPI document', () => {
    const doc = app.swagger() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/segments', '/v1/segments/preview', '/v1/segments/refresh', '/v1/segments/{name}', '/v1/segments/{name}/export']),
    );
  });
});
