import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSegment } from '../../src/segments/manage/crud.js';
import { basic, testServer, type TestServer } from './helpers.js';

/**
 * Trial 9, E1–E3: an API error names what the request sent (docs/api.md "Errors": "never a command-line
 * option"). The shared code names the input at fault as `--to` or `option: k`; the answer's
 * `details.field` is `query.to` / `body.groups`, as a schema problem's is, and there is one key, `field`.
 * A refusal by the schema says what is accepted from the route's own description of a text parameter, and
 * an array's bounds.
 */
let s: TestServer;
beforeAll(async () => {
  s = await testServer(['admin']);
  await createSegment(s.store, { name: 'repeat', definition: { query: 'orders_count >= 2' } });
}, 60_000);
afterAll(() => s.cleanup());

const get = async (url: string) => {
  const res = await s.app.inject({ method: 'GET', url, headers: { authorization: basic(s.key) } });
  return { status: res.statusCode, json: res.json() as { error: string; message: string; details?: Record<string, unknown> } };
};

describe('details name the request, not the command line', () => {
  it.each([
    ['/v1/segments/repeat/kpis?to=2030-01-01', 'query.to'],
    ['/v1/segments/repeat/kpis?from=2011-12-01&to=2011-11-01', 'query.from'],
    ['/v1/segment-kpis?segments=repeat&from=2011-13-01', 'query.from'],
    ['/v1/clv/validation?calibrationEnd=2011-02-30', 'query.calibrationEnd'],
    ['/v1/propensity/validation?cutoff=2011-13-01', 'query.cutoff'],
  ])('GET %s names %s', async (url, field) => {
    const r = await get(url);
    expect(r.status).toBe(400);
    expect(r.json.details).toMatchObject({ field });
    expect(r.json.details).not.toHaveProperty('option');
    expect(r.json.message).not.toMatch(/(^|\s)--[a-z]/);
  });

  // Recheck 9, L1: routes whose body may be left out (an optional object), and messages of shared code
  // that was given the request's own name (`asOf: "2025-13-01": …`).
  it.each([
    ['/v1/rfm', { asOf: '2025-13-01' }, 'body.asOf', 'The "asOf" field: '],
    ['/v1/clusters', { asOf: '2025-13-01' }, 'body.asOf', 'The "asOf" field: '],
    ['/v1/clv/fit', { calibrationEnd: '2025-02-30' }, 'body.calibrationEnd', 'The "calibrationEnd" field: '],
  ])('POST %s names %s', async (url, body, field, start) => {
    const r = await s.post(url, body);
    expect(r.status).toBe(400);
    expect(r.json.details).toMatchObject({ field });
    expect(String(r.json.message).startsWith(start)).toBe(true);
  });

  it('a body field: POST /v1/experiments with one group names body.groups', async () => {
    const r = await s.post('/v1/experiments', { name: 'e9', segment: 'repeat', groups: 'control:50' });
    expect(r.status).toBe(400);
    expect(r.json.details).toMatchObject({ field: 'body.groups' });
  });
});

describe('what a schema refusal says is accepted', () => {
  it('a text parameter is described by the route (a moment, not "a text")', async () => {
    const r = await get('/v1/rfm/movement?from=2011-06-01');
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/The query parameter "to" is missing; accepted: the second moment: a date \(YYYY-MM-DD, midnight in the workspace time zone\) or an ISO time\./);
  });

  it('a choice of kinds names each (recheck 9, C2): k is auto or a whole number', async () => {
    const r = await s.post('/v1/clusters', { k: 'x' });
    expect(r.status).toBe(400);
    expect(String(r.json.message)).toBe('The body field "k" is "x"; accepted: auto or a whole number of at least 1.');
  });

  it("an array's bounds are named: [] is not enough identifiers", async () => {
    const r = await s.post('/v1/regulations', { identifiers: [] });
    expect(r.status).toBe(400);
    expect(String(r.json.message)).toMatch(/"identifiers" is \[\]; accepted: an array of .* from 1 to [\d,]+ items/);
  });
});
