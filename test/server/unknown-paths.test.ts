import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, testServer, type TestServer } from './helpers.js';

/**
 * docs/security.md: no body is read before the key decides, on every path. A request for a method and
 * path no route serves (a made-up path, or POST to a GET-only public route such as /health) is answered
 * 404 without its body being read, decompressed or parsed; a bogus key in a header makes it 401. Each
 * body below is one the server would name (400 invalid_json, 413, 415) had it looked at it.
 */
describe('requests to no route are answered before their body', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(['write']);
  });
  afterAll(async () => s.cleanup());

  // 200 MB of spaces: about 200 KB compressed; inflating it would stop at the body limit with a 413.
  const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20));
  const bodies: [string, Record<string, string>, string | Buffer][] = [
    ['bad JSON', { 'content-type': 'application/json' }, '{bad'],
    ['a gzip bomb', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, bomb],
    ['an unknown encoding', { 'content-type': 'application/json', 'content-encoding': 'br' }, 'xx'],
    ['an unaccepted type', { 'content-type': 'application/xml' }, '<a/>'],
    ['a body too large', { 'content-type': 'application/json' }, `{"x":"${'a'.repeat(1_200_000)}"}`],
  ];
  const targets: ['POST' | 'PUT' | 'PATCH' | 'DELETE', string][] = [
    ['POST', '/v1/nothing'],
    ['PUT', '/v1/nothing'],
    ['POST', '/health'],
    ['POST', '/'],
    ['POST', '/openapi.json'],
    ['PATCH', '/v1/track'],
    ['DELETE', '/v1/keys'],
  ];

  for (const [method, url] of targets) {
    for (const [what, headers, payload] of bodies) {
      it(`${method} ${url} with ${what}: 404 without a key or with a valid one, 401 with a bogus header key`, async () => {
        const none = await s.app.inject({ method, url, headers, payload });
        expect(none.statusCode, none.body).toBe(404);
        expect(none.json()).toEqual({ error: 'not_found', message: `No route ${method} ${url}; the routes are listed at GET /openapi.json.` });
        const bogus = await s.app.inject({ method, url, headers: { ...headers, authorization: basic('sgm_bogus') }, payload });
        expect(bogus.statusCode, bogus.body).toBe(401);
        expect(bogus.json().message).toMatch(/unknown or revoked/);
        const bearer = await s.app.inject({ method, url, headers: { ...headers, 'x-write-key': 'sgm_bogus' }, payload });
        expect(bearer.statusCode, bearer.body).toBe(401);
        // A valid key, whatever its scopes, learns only that there is no such route.
        const valid = await s.app.inject({ method, url, headers: { ...headers, authorization: basic(s.key) }, payload });
        expect(valid.statusCode, valid.body).toBe(404);
      });
    }
  }

  it('public GET routes never parse a body', async () => {
    for (const url of ['/health', '/openapi.json', '/', '/v1/unsubscribe?token=x']) {
      for (const [, headers, payload] of bodies) {
        const res = await s.app.inject({ method: 'GET', url, headers, payload });
        expect([200, 400, 503], `${url}: ${res.body.slice(0, 200)}`).toContain(res.statusCode);
        expect(res.body).not.toMatch(/invalid_json|request_too_large|unsupported_/);
      }
    }
    const health = await s.app.inject({ method: 'GET', url: '/health', headers: bodies[0]![1], payload: bodies[0]![2] });
    expect(health.statusCode).toBe(200);
  });
});
