import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, testServer, type TestServer } from './helpers.js';
import { unsubscribeSecret } from '../../src/config/settings.js';
import { unsubscribeToken } from '../../src/workflows/channels/email/unsubscribe.js';

/**
 * Trial 7, D7: query-string and path-parameter errors were zod's own text ("expected number, received
 * NaN"). docs/api.md: every message says what was received, what is accepted, and where.
 */
const RAW = /Invalid input|Invalid option|Too small|Too big|received (NaN|undefined|number|string)|expected (number|string|int)/;

describe('query and path errors in the API’s words', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(['admin']);
  });
  afterAll(async () => s.cleanup());

  const get = async (url: string, method: 'GET' | 'POST' = 'GET') => {
    const res = await s.app.inject({ method, url, headers: { authorization: basic(s.key) } });
    return { status: res.statusCode, type: String(res.headers['content-type']), body: res.body, json: (res.headers['content-type'] ?? '').toString().includes('json') ? (res.json() as { error: string; message: string; details?: { issues: { field: string; received: unknown; accepted: string }[] } }) : undefined };
  };

  it('names the parameter, the value sent and what is accepted (the trial’s requests)', async () => {
    const cases: [string, string][] = [
      ['/v1/customers?limit=abc', 'The query parameter "limit" is "abc"; accepted: a whole number from 1 to '],
      ['/v1/customers?limit=-5', 'The query parameter "limit" is "-5"; accepted: a whole number from 1 to '],
      ['/v1/customers?limit=1.5', 'The query parameter "limit" is "1.5"; accepted: a whole number'],
      ['/v1/rfm?bins=4', 'The query parameter "bins" is "4"; accepted: one of 3, 5.'],
    ];
    for (const [url, start] of cases) {
      const r = await get(url);
      expect(r.status, url).toBe(400);
      expect(r.json?.error).toBe('invalid_request');
      expect(r.json?.message, url).toContain(start);
      expect(r.json?.message).not.toMatch(RAW);
    }
    const long = await get(`/v1/uploads?name=${'n'.repeat(5000)}`, 'POST');
    expect(long.status).toBe(400);
    expect(long.json?.message).toMatch(/^The query parameter "name" is "n{100}…" \(5,000 characters\); accepted: a text of at most 200 characters: the file name, shown in the import report\.$/);
    expect(long.json?.details?.issues[0]).toMatchObject({ field: 'query.name', accepted: 'a text of at most 200 characters: the file name, shown in the import report' });
  });

  it('every query parameter of every route, sent a value no schema of ours takes, is answered in those words', async () => {
    let checked = 0;
    for (const route of s.app.routeList) {
      // the live streams answer only when asked for text/event-stream, which this does not send
      if (route.query.length === 0 || route.url === '/v1/unsubscribe' || route.method === 'OPTIONS' || route.method === 'HEAD') continue;
      for (const q of route.query) {
        const url = `${route.url.replace(/:[a-zA-Z]+/g, 'x')}?${q}=${encodeURIComponent('§-1.5-' + 'z'.repeat(2100))}`;
        const res = await s.app.inject({ method: route.method as 'GET', url, headers: { authorization: basic(s.key), 'content-type': 'application/json' }, payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}' });
        if (res.statusCode !== 400) continue;
        const body = res.json() as { error: string; message: string };
        expect(body.message, `${route.method} ${route.url} ${q}`).not.toMatch(RAW);
        if (body.error === 'invalid_request' && body.message.includes(`query parameter "${q}"`)) {
          expect(body.message).toContain('"§-1.5-zzz');
          expect(body.message).toMatch(/accepted: |: /);
          checked++;
        }
      }
    }
    // most query parameters are numbers, days, choices or bounded texts: a good share must be refused
    expect(checked).toBeGreaterThan(20);
  });

  it('gives a person who opens an unsubscribe link without its token a page they understand', async () => {
    // A damaged token (trial 11, C7) is told at once by the page, not first offered the button.
    const good = unsubscribeToken(await unsubscribeSecret(s.store), { customerId: 'cus_x', runId: 'run1', stepId: 'mail' });
    for (const url of ['/v1/unsubscribe', '/v1/unsubscribe?token=', '/v1/unsubscribe?token=broken', '/v1/unsubscribe?token=abc', `/v1/unsubscribe?token=${good.slice(0, -2)}`]) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await s.app.inject({ method, url });
        expect(res.statusCode, `${method} ${url}`).toBe(400);
        expect(res.body).not.toContain('<form');
        expect(res.headers['content-type']).toContain('text/html');
        expect(res.body).toContain('This unsubscribe link is incomplete or damaged');
        expect(res.body).not.toMatch(RAW);
        expect(res.body).not.toContain('querystring');
      }
    }
    const page = await s.app.inject({ method: 'GET', url: `/v1/unsubscribe?token=${good}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post">');
  });

  // recheck 7, N7: the neighbours of D7 that kept another form
  it('names what an array field takes, item by item, in English', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/v1/imports', headers: { authorization: basic(s.key) }, payload: { upload: 'x', map: { zz: 'order_id' } } });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: string; message: string; details: { issues: { field: string; accepted: string }[] } };
    expect(body.error).toBe('invalid_request');
    expect(body.message).toBe('The body field "map" is {"zz":"order_id"}; accepted: an array of "column=field" texts.');
    for (const [field, accepted] of [
      ['decimal', 'an array of texts "point", "comma" or "column=point|comma"'],
      ['lineKind', 'an array of "product=kind" texts'],
    ]) {
      const r = await s.app.inject({ method: 'POST', url: '/v1/imports', headers: { authorization: basic(s.key) }, payload: { upload: 'x', [field!]: 'comma' } });
      expect((r.json() as typeof body).details.issues[0]).toMatchObject({ field: `body.${field}`, accepted });
    }
  });

  it('refuses a search over its own bound in the same form as every query parameter', async () => {
    const r = await get('/v1/customers?q=mia&limit=500');
    expect(r.status).toBe(400);
    expect(r.json?.error).toBe('invalid_request');
    expect(r.json?.message).toBe('The query parameter "limit" is "500"; accepted: a whole number from 1 to 100 with "q" (from 1 to 1,000 without).');
    expect(r.json?.details?.issues[0]).toMatchObject({ field: 'query.limit', received: '500' });
    expect((await get('/v1/customers?q=mia&limit=100')).status).toBe(200);
    expect((await get('/v1/customers?limit=500')).status).toBe(200);
  });

  it('says what is wrong with a bad body sent to the public unsubscribe route', async () => {
    const bad = await s.app.inject({ method: 'POST', url: '/v1/unsubscribe?token=abc', headers: { 'content-type': 'application/json' }, payload: '{bad' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_json' });
    expect(bad.body).not.toMatch(/not received whole|internal/i);
    const xml = await s.app.inject({ method: 'POST', url: '/v1/unsubscribe?token=abc', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(xml.statusCode).toBe(415);
    // its body is never used: more than 1 KB is refused
    const big = await s.app.inject({ method: 'POST', url: '/v1/unsubscribe?token=abc', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ x: 'a'.repeat(2000) }) });
    expect(big.statusCode).toBe(413);
  });
});

describe('messages of the shared code in the request’s words', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(['admin']);
  });
  afterAll(async () => s.cleanup());

  it('names the query parameter the request sent, not the command line’s option', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/v1/propensity/audit?by=nope.', headers: { authorization: basic(s.key) } });
    expect(res.statusCode, res.body).toBe(400);
    const { message } = res.json() as { message: string };
    expect(message).toMatch(/^the "by" query parameter nope\.: not a trait path/);
    expect(message).not.toMatch(/--by/);
  });
});
