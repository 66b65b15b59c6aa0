import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, testServer, type TestServer } from './helpers.js';

/**
 * docs/security.md: the key is checked before anything else about the request. Each request below is
 * malformed in a way the server would name (bad JSON, wrong type, a gzip bomb) if it looked at the body;
 * without a valid key it must answer 401 (403 for a key lacking the scope), whatever the body is.
 */
describe('the key is checked before the body', () => {
  let s: TestServer;
  let readKey: string;
  beforeAll(async () => {
    s = await testServer(['write']);
    const { createApiKey } = await import('../../src/server/keys.js');
    readKey = (await createApiKey(s.store, ['read'], 'reader')).key;
  });
  afterAll(async () => s.cleanup());

  // 200 MB of zeros: about 200 KB compressed. Decompressing it would stop at the route's limit (413).
  const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20));
  const bodies: [string, Record<string, string>, string | Buffer][] = [
    ['bad JSON', { 'content-type': 'application/json' }, '{bad'],
    ['an unaccepted type', { 'content-type': 'application/xml' }, '<a/>'],
    ['no type', {}, 'x'],
    ['a gzip bomb', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, bomb],
    ['an unknown encoding', { 'content-type': 'application/json', 'content-encoding': 'br' }, 'xx'],
    ['a body too large', { 'content-type': 'application/json' }, `{"userId":"u","event":"e","properties":{"x":"${'a'.repeat(600_000)}"}}`],
    ['bad percent-encoding in the query', { 'content-type': 'application/json' }, '{}'],
  ];
  const routes = ['/v1/track', '/v1/batch', '/v1/segments/preview', '/v1/keys'];

  async function send(url: string, headers: Record<string, string>, payload: string | Buffer, what: string) {
    const path = what.startsWith('bad percent') ? `${url}?x=%ED%A0%80` : url;
    const res = await s.app.inject({ method: 'POST', url: path, headers, payload });
    return { status: res.statusCode, json: res.json() as { error: string; message: string } };
  }

  for (const url of routes) {
    for (const [what, headers, payload] of bodies) {
      it(`${url} with ${what}: 401 without a key, with a bogus header key; 403 with a key lacking the scope`, async () => {
        const none = await send(url, headers, payload, what);
        expect(none.status, none.json.message).toBe(401);
        expect(none.json.error).toBe('unauthorized');
        const bogus = await send(url, { ...headers, authorization: basic('sgm_bogus') }, payload, what);
        expect(bogus.status, bogus.json.message).toBe(401);
        expect(bogus.json.message).toMatch(/unknown or revoked/);
        const lacking = url.startsWith('/v1/track') || url.startsWith('/v1/batch') ? readKey : s.key;
        const forbidden = await send(url, { ...headers, authorization: basic(lacking) }, payload, what);
        expect(forbidden.status, forbidden.json.message).toBe(403);
      });
    }
  }

  it('says why an anonymous compressed or non-JSON ingestion body is not read', async () => {
    const gz = await send('/v1/track', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('{"writeKey":"x"}'), '');
    expect(gz.json.message).toMatch(/compressed body is read only with the key in a header/);
    const xml = await send('/v1/track', { 'content-type': 'application/xml' }, '<a/>', '');
    expect(xml.json.message).toMatch(/not JSON/);
    const preview = await send('/v1/segments/preview', { 'content-type': 'application/json' }, `{"writeKey":"${s.key}"}`, '');
    expect(preview.json.message).toMatch(/takes no key in its body/);
  });

  it('still takes a valid key in the body of an ingestion request, and a compressed body with a header key', async () => {
    const event = { userId: 'kf-1', event: 'Signed Up' };
    const body = await send('/v1/track', { 'content-type': 'application/json' }, JSON.stringify({ ...event, writeKey: s.key }), '');
    expect(body.status).toBe(200);
    const text = await send('/v1/track', { 'content-type': 'text/plain' }, JSON.stringify({ ...event, writeKey: s.key }), '');
    expect(text.status).toBe(200);
    const gz = await send('/v1/track', { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: basic(s.key) }, gzipSync(JSON.stringify(event)), '');
    expect(gz.status).toBe(200);
    // With a valid key, the body's problems are named again.
    const bad = await send('/v1/track', { 'content-type': 'application/json', authorization: basic(s.key) }, '{bad', '');
    expect(bad.json.error).toBe('invalid_json');
    const bombed = await send('/v1/track', { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: basic(s.key) }, bomb, '');
    expect(bombed.status).toBe(413);
  });
});
