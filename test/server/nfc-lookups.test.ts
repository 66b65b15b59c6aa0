import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAllFields } from '../../src/fields.js';
import { basic, testServer, type TestServer } from './helpers.js';

/*
 * Task fixM14, 2b: identifiers and segment names are stored in Unicode NFC (migration 33, trial 13 M1),
 * but text typed in NFD (`e` + U+0301, as macOS and many copy-pastes give it) reached some look-ups as
 * typed: the customer search found nobody, and a segment named in NFD could be read but not refreshed,
 * changed or counted. Every look-up by identifier or name text goes through NFC: the search text, every
 * path parameter (server/errors.ts), and the segment-name look-ups of the library (catalogue, refresh,
 * update, delete, references).
 */

const NFC = (s: string): string => s.normalize('NFC');
const NFD = (s: string): string => s.normalize('NFD');

let t: TestServer;

async function get(path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await t.app.inject({ method: 'GET', url: path, headers: { authorization: basic(t.key) } });
  return { status: res.statusCode, json: res.json() };
}

async function call(method: 'PATCH' | 'DELETE' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> | null }> {
  const res = await t.app.inject({
    method,
    url: path,
    headers: { authorization: basic(t.key), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, json: res.body ? res.json() : null };
}

const q = (text: string): string => `/v1/customers?q=${encodeURIComponent(text)}`;
const hitIds = (json: Record<string, unknown>): string[] => (json.hits as { matched: { value: string } }[]).map((h) => h.matched.value);

beforeAll(async () => {
  registerAllFields();
  t = await testServer(['admin']);
  // A user id sent in NFC; a first name sent in NFD (traits are stored as sent).
  expect((await t.post('/v1/identify', { userId: NFC('renée-7'), traits: { first_name: NFC('Zoë'), last_name: 'Lindqvist' } })).status).toBe(200);
  expect((await t.post('/v1/identify', { userId: 'u-amelie', traits: { first_name: NFD('Amélie'), last_name: 'Roux' } })).status).toBe(200);
  expect((await call('POST', '/v1/segments', { name: NFC('café'), query: 'orders_count >= 0' })).status).toBe(201);
}, 60_000);

afterAll(async () => {
  await t?.cleanup();
});

describe('the customer search', () => {
  it('finds an identifier typed in NFD', async () => {
    const r = await get(q(NFD('renée')));
    expect(r.status).toBe(200);
    expect(hitIds(r.json)).toEqual([NFC('renée-7')]);
  });

  it('finds a name typed in NFD, and a name sent in NFD when typed in NFC', async () => {
    expect(hitIds((await get(q(NFD('Zoë')))).json)).toEqual([NFC('Zoë Lindqvist')]);
    expect(hitIds((await get(q(NFC('Amélie')))).json)).toEqual([NFC('Amélie Roux')]);
  });
});

describe('look-ups by path', () => {
  it('a customer by an identifier in NFD', async () => {
    const r = await get(`/v1/customers/${encodeURIComponent(NFD('renée-7'))}`);
    expect(r.status).toBe(200);
    expect(r.json.identities).toContainEqual(expect.objectContaining({ kind: 'user_id', value: NFC('renée-7') }));
  });

  it('a segment named in NFD: read, refreshed, changed, referred to, and not deleted while referred to', async () => {
    const name = encodeURIComponent(NFD('café'));
    expect((await get(`/v1/segments/${name}`)).json.name).toBe(NFC('café'));
    const refreshed = await call('POST', '/v1/segments/refresh', { name: NFD('café') });
    expect(refreshed.status).toBe(200);
    expect((await get(`/v1/segments/${name}/members`)).status).toBe(200);
    const changed = await call('PATCH', `/v1/segments/${name}`, { description: 'regulars' });
    expect(changed.status).toBe(200);
    expect(changed.json!.description).toBe('regulars');
    // A definition that names it in NFD refers to it.
    expect((await call('POST', '/v1/segments', { name: 'cafe-users', query: `in segment "${NFD('café')}"` })).status).toBe(201);
    const refused = await call('DELETE', `/v1/segments/${name}`);
    expect(refused.status).toBe(409);
    expect(refused.json!.error).toBe('segment_in_use');
  });
});
