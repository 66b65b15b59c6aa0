import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, testServer, type TestServer } from './helpers.js';

/**
 * Trial 8, D4 over HTTP: `?asOf=` (empty) was taken as the parameter left out (now). Every query
 * parameter of every route, given empty, is refused naming it (400 empty_parameter), as the CLI refuses
 * `--as-of ""`; a time in a body given "" is refused by the field's own reader.
 */
let s: TestServer;
beforeAll(async () => {
  s = await testServer(['admin']);
}, 60_000);
afterAll(() => s.cleanup());

describe('an empty parameter is not a left-out one', () => {
  it('every query parameter of every route, given empty, is a 400 naming it', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const r of s.app.routeList) {
      if (r.method === 'HEAD' || r.method === 'OPTIONS' || !r.url.startsWith('/v1/')) continue;
      for (const q of r.query) {
        const res = await s.app.inject({ method: r.method as 'GET', url: `${r.url.replace(/:(\w+)/g, 'x')}?${encodeURIComponent(q)}=`, headers: { authorization: basic(s.key) } });
        checked++;
        // the unsubscribe page answers a person, in HTML: a 400 page saying the link is incomplete
        if (String(res.headers['content-type']).startsWith('text/html')) {
          if (res.statusCode !== 400 || !res.body.includes('incomplete')) wrong.push(`${r.method} ${r.url} ?${q}=: ${res.statusCode} (HTML)`);
          continue;
        }
        const body = res.json() as { error?: string; details?: { field?: string } };
        if (res.statusCode !== 400 || body.error !== 'empty_parameter' || body.details?.field !== `query.${q}`) wrong.push(`${r.method} ${r.url} ?${q}=: ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(30);
  }, 120_000);

  it('asOf= names the parameter; asOf left out still means the default', async () => {
    const empty = await s.app.inject({ url: '/v1/quality?asOf=', headers: { authorization: basic(s.key) } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: 'empty_parameter', message: 'The query parameter "asOf" is empty; leave it out for its default, or give it a value.' });
    expect((await s.app.inject({ url: '/v1/quality', headers: { authorization: basic(s.key) } })).statusCode).toBe(200);
  });

  it('a time in a body given "" is refused, naming the field', async () => {
    for (const [path, body, field] of [
      ['/v1/rfm', { asOf: '' }, 'asOf'],
      ['/v1/segments/refresh', { asOf: ' ' }, 'asOf'],
      ['/v1/clv/fit', { calibrationEnd: '' }, 'calibrationEnd'],
    ] as const) {
      const res = await s.post(path, body);
      expect(res.status, path).toBe(400);
      expect(String(res.json.message), path).toMatch(new RegExp(`^The "${field}" field: ""? ?.*(empty|not a date)`));
    }
  });
});
