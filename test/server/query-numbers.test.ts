import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, testServer, type TestServer } from './helpers.js';

/*
 * Fix 9, item 1: the routes read query numbers with z.coerce.number(), whose Number() takes `1e1`,
 * `0x10`, ` 12`, `Infinity` and, for a whole number, `1.0`, where the CLI refuses them
 * (domain/whole-number.ts). The kind: a query number read by another grammar than the CLI's. The first
 * test walks every route's query schema, so a route added later with a bare coercion fails here.
 */

/** Texts no user writes as a number: Number() reads each of them as one. */
const NOT_NUMBERS = ['1e1', '0x10', '0b11', '0o7', ' 12', '12 ', '+12', 'Infinity', '1_0', '\t3'];

interface Schema {
  safeParse(v: unknown): { success: boolean; data?: unknown };
}

let s: TestServer;
beforeAll(async () => {
  s = await testServer(['admin']);
});
afterAll(async () => s.cleanup());

describe('query numbers follow the CLI’s grammar', () => {
  it('no query parameter of any route reads a text outside the grammar as a number (a walk of every route’s schema)', () => {
    const wrong: string[] = [];
    let numbers = 0;
    for (const route of s.app.routeList) {
      const shape = (route.querySchema as { shape?: Record<string, Schema> } | undefined)?.shape ?? {};
      for (const [name, field] of Object.entries(shape)) {
        // a number parameter is one that reads some digits as a number
        const isNumber = ['0', '1', '5', '30', '100'].some((d) => typeof field.safeParse(d).data === 'number');
        if (!isNumber) continue;
        numbers++;
        const whole = ['0.5', '1.5', '2.5'].every((d) => typeof field.safeParse(d).data !== 'number');
        for (const text of [...NOT_NUMBERS, ...(whole ? ['1.0', '5.0', '30.0'] : [])]) {
          const r = field.safeParse(text);
          if (r.success && typeof r.data === 'number') wrong.push(`${route.method} ${route.url} ?${name}=${JSON.stringify(text)} read as ${r.data}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // limit, offset, n, horizon, minShare, staleDays, … on a score of routes: the walk sees them
    expect(numbers).toBeGreaterThan(20);
  });

  const get = async (url: string) => {
    const res = await s.app.inject({ method: 'GET', url, headers: { authorization: basic(s.key) } });
    return { status: res.statusCode, json: res.json() as { error: string; message: string; details?: { issues: { field: string; received: unknown; accepted: string }[] } } };
  };

  it('answers 400 naming the parameter, the value sent and the whole range, as the server’s other 400s', async () => {
    for (const [text, sent] of [
      ['1e1', '"1e1"'],
      ['0x10', '"0x10"'],
      ['%2012', '" 12"'],
      ['1.0', '"1.0"'],
      ['Infinity', '"Infinity"'],
    ] as const) {
      const r = await get(`/v1/customers?limit=${text}`);
      expect(r.status, text).toBe(400);
      expect(r.json.error).toBe('invalid_request');
      expect(r.json.message).toBe(`The query parameter "limit" is ${sent}; accepted: a whole number from 1 to 1,000.`);
      expect(r.json.details?.issues[0]).toMatchObject({ field: 'query.limit', accepted: 'a whole number from 1 to 1,000' });
    }
    // a decimal parameter takes a point, never an exponent
    const e = await get('/v1/segment-health?minShare=1e-1');
    expect(e.status).toBe(400);
    expect(e.json.message).toBe('The query parameter "minShare" is "1e-1"; accepted: a number from 0 to 1.');
  });

  it('still takes what the grammar writes: digits, and a decimal with a point', async () => {
    expect((await get('/v1/customers?limit=12&offset=0')).status).toBe(200);
    expect((await get('/v1/customers?limit=0012')).status).toBe(200);
    expect((await get('/v1/segment-health?minShare=0.05&minSize=3&staleDays=30')).status).toBe(200);
    expect((await get('/v1/segment-health?minShare=.5')).status).toBe(200);
    const out = await get('/v1/customers?limit=1001');
    expect(out.json.message).toBe('The query parameter "limit" is "1001"; accepted: a whole number from 1 to 1,000.');
  });
});

/*
 * Trial 11, C8: `GET /v1/segments/vipish/members?limit=99999999999999999999` said the same sentence twice
 * and listed two identical issues. The kind: a whole number past 2^53 fails zod's safe-integer bound and
 * the route's own maximum, two issues that read alike. The walk sends such a number to every number
 * parameter of every GET route.
 */
describe('a number out of range is said once', () => {
  const HUGE = '99999999999999999999';

  it('in every number parameter of every GET route: one issue, one sentence', async () => {
    const doubled: string[] = [];
    let tried = 0;
    for (const route of s.app.routeList) {
      if (route.method !== 'GET') continue;
      const shape = (route.querySchema as { shape?: Record<string, Schema> } | undefined)?.shape ?? {};
      for (const [name, field] of Object.entries(shape)) {
        if (!['0', '1', '5', '30', '100'].some((d) => typeof field.safeParse(d).data === 'number')) continue;
        const url = `${route.url.replace(/:(\w+)/g, 'x')}?${name}=${HUGE}`;
        const res = await s.app.inject({ method: 'GET', url, headers: { authorization: basic(s.key) } });
        if (res.statusCode !== 400) continue;
        tried++;
        const body = res.json() as { message: string; details?: { issues?: { field: string; message: string }[] } };
        const issues = body.details?.issues ?? [];
        const sentences = body.message.split(/(?<=\.) (?=The )/);
        const fields = new Set(issues.map((i) => i.field));
        if (new Set(issues.map((i) => i.message)).size !== issues.length || fields.size !== issues.length || new Set(sentences).size !== sentences.length) doubled.push(`${url}: ${body.message}`);
      }
    }
    expect(doubled).toEqual([]);
    expect(tried).toBeGreaterThan(10);
  });

  it('a bound that depends on another parameter is the one said (recheck 11, N3: limit with q)', async () => {
    const res = await s.app.inject({ method: 'GET', url: `/v1/customers?q=zzd&limit=${HUGE}`, headers: { authorization: basic(s.key) } });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { message: string; details: { issues: { field: string }[] } };
    expect(body.message).toBe(`The query parameter "limit" is "${HUGE}"; accepted: a whole number from 1 to 100 with "q" (from 1 to 1,000 without).`);
    expect(body.details.issues.map((i) => i.field)).toEqual(['query.limit']);
  });

  it('names the parameter, the value and the range once', async () => {
    const res = await s.app.inject({ method: 'GET', url: `/v1/segments/vipish/members?limit=${HUGE}`, headers: { authorization: basic(s.key) } });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { message: string; details: { issues: { field: string }[] } };
    expect(body.message).toBe(`The query parameter "limit" is "${HUGE}"; accepted: a whole number from 1 to 100,000.`);
    expect(body.details.issues.map((i) => i.field)).toEqual(['query.limit']);
  });
});
