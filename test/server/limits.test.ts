import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDefinition } from '../../src/segments/manage/definition.js';
import { createApiKey } from '../../src/server/keys.js';
import { basic, testServer, type TestServer } from './helpers.js';

describe('rate limits answer 429 with Retry-After, per address and per key', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(['write'], { limits: { requestsPerAddress: 6, requestsPerKey: 3, rateWindowMs: 60_000 } });
  });
  afterAll(async () => {
    await s.cleanup();
  });

  it('limits one key, then one address, whatever the route', async () => {
    const event = { userId: 'u', event: 'E' };
    const byKey = [];
    for (let i = 0; i < 4; i++) byKey.push(await s.post('/v1/track', event));
    expect(byKey.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(byKey[3]!.json.message).toMatch(/^Too many requests from this API key: at most 3 per 60 s are accepted; retry after \d+ s/);
    expect(Number(byKey[3]!.headers['retry-after'])).toBeGreaterThan(0);
    // another key from the same address still gets in, until the address is over its own limit
    const other = basic((await createApiKey(s.store, ['write'], 'other', 'server')).key);
    expect((await s.post('/v1/track', event, { authorization: other })).status).toBe(200);
    const health = await s.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    const over = await s.app.inject({ method: 'GET', url: '/health' });
    expect(over.statusCode).toBe(429);
    expect(over.json().message).toMatch(/^Too many requests from this address: at most 6 per 60 s/);
    expect(over.headers['retry-after']).toBeDefined();
    // another address is not affected
    expect((await s.app.inject({ method: 'GET', url: '/health', remoteAddress: '127.0.0.9' })).statusCode).toBe(200);
  });
});

describe('every query has a time budget', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(['admin']);
    // enough customers that the preview runs well past a millisecond; then a budget of one
    await s.store.run("INSERT INTO customers SELECT 'c' || i, now(), now(), json_object('n', i), NULL FROM range(300000) t(i)");
    await s.store.setBudget({ statementTimeoutMs: 1 });
  });
  afterAll(async () => {
    await s.cleanup();
  });

  it('interrupts a preview past its time and says so (422), and the server answers the next request', async () => {
    const r = await s.post('/v1/segments/preview', { query: 'traits.n > 5 and traits.n < 200000 or traits.m contains "x"' });
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ error: 'query_budget_exceeded', details: { limit: 'time' } });
    expect(r.json.message).toMatch(/ran past its time budget \(0\.001 s\)/);
    // A budget of 1 ms can stop even `SELECT 1` on a loaded machine, so the next request runs under a
    // budget it cannot miss: what is tested is that the interrupted connection still answers.
    await s.store.setBudget({ statementTimeoutMs: 60_000 });
    expect((await s.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe('segment definitions past their limits are refused before any work', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(['admin']);
  });
  afterAll(async () => {
    await s.cleanup();
  });

  const preview = async (query: string) => (await s.post('/v1/segments/preview', { query })).json as { error: string; message: string };

  it.each([
    ['nesting', `${'('.repeat(30)}total_spent > 1${')'.repeat(30)}`, /nests deeper than 24 levels of parentheses, not and where/],
    ['nested not', `${'not '.repeat(30)}total_spent > 1`, /nests deeper than 24 levels/],
    ['conditions', Array.from({ length: 201 }, (_, i) => `total_spent > ${i}`).join(' or '), /has 201 conditions; at most 200 are accepted/],
    ['sequences', Array.from({ length: 21 }, (_, i) => `performed "A${i}" then "B" within 1h`).join(' or '), /21 sequences and consent channels; at most 20/],
    ['text length', `total_spent > 1 ${'#'.repeat(20_000)}`, /at most 20,000 are accepted/],
    ['number ≥ 2^63', 'total_spent > 9223372036854775808', /the number 9223372036854775808 is out of range: numbers in a definition are read as 64-bit floats, which must be below 2\^63/],
    // D4 (trial 5): 2^63 − 2 rounds to 2^63 as a float; the message names the largest value accepted
    ['number that rounds to 2^63', 'orders_count > 9223372036854775806', /largest accepted is 9,223,372,036,854,774,784; whole numbers are exact up to 2\^53/],
    ['infinite number', 'count of "E" > 1e309', /the number 1e309 is out of range/],
    ['count', 'performed "E" at least 2000000000 times', /2000000000 times is out of range: at most 1,000,000,000/],
    ['relative date past the range', 'last_order_at > -1000000000y', /-1000000000y is longer than the 10,000 years a duration may span/],
    ['window past the range', 'performed "E" within 99999999999w', /99999999999w is longer than the 10,000 years/],
  ])('%s', async (_name, query, message) => {
    const r = await preview(query);
    expect(r.error).toBe('segment_syntax');
    expect(r.message).toMatch(message);
  });

  it('trial 13, L4: a definition refused for its size or depth is quoted as a window with its length, not whole', async () => {
    const long = Array.from({ length: 3000 }, (_, i) => `orders_count>${i}`).join(' or '); // 61,886 characters
    const deep = `${'('.repeat(5000)}orders_count>1${')'.repeat(5000)}`;
    for (const [query, length] of [[long, '61,886'], [deep, '10,014']] as const) {
      const r = await preview(query);
      expect(r.error).toBe('segment_syntax');
      expect(r.message).toContain(`(${length} characters)`);
      expect(r.message.length).toBeLessThan(500); // it was the whole definition: 62,000 and 10,100 characters
    }
  });

  it('the largest number accepted (2^63 − 1024, the float below 2^63) compiles, and SQL and the evaluator agree on it', async () => {
    // 2^63 − 1024 is the binary64 value just below 2^63 (53-bit significand: the step there is 2^10).
    expect(2 ** 63 - 1024).toBe(9223372036854774784);
    expect(2 ** 63 - 1024 < 2 ** 63).toBe(true);
    const r = await s.post('/v1/segments/preview', { query: 'orders_count < 9223372036854774784 and orders_count > -9223372036854774784' });
    expect(r.status).toBe(200);
  });

  it('a relative date as far as the limit allows still compiles and runs', async () => {
    const r = await s.post('/v1/segments/preview', { query: 'last_order_at > -9999y or last_order_at < +9999y', asOf: '2024-06-01' });
    expect(r.status).toBe(200);
  });

  it('the JSON form has the same limits, and its depth is checked before its schema', () => {
    const leaf = { kind: 'compare', target: { kind: 'field', name: 'total_spent' }, op: '>', value: 1 };
    let deep: unknown = leaf;
    for (let i = 0; i < 5000; i++) deep = { kind: 'not', condition: deep };
    expect(() => readDefinition({ json: deep })).toThrow(/nests deeper than 128 levels of arrays and objects/);
    let notDeep: unknown = leaf;
    for (let i = 0; i < 50; i++) notDeep = { kind: 'not', condition: notDeep };
    expect(() => readDefinition({ json: notDeep })).toThrow(/nests 50 levels deep; at most 48/);
    const wide = { kind: 'or', conditions: Array.from({ length: 250 }, () => leaf) };
    expect(() => readDefinition({ json: wide })).toThrow(/has 250 conditions; at most 200/);
    expect(() => readDefinition({ json: { ...leaf, value: 2 ** 64 } })).toThrow(/not a valid segment/);
    expect(() => readDefinition({ json: { kind: 'performed', event: 'E', window: { kind: 'within', duration: { amount: 1e9, unit: 'y' } } } })).toThrow(
      /longer than the 10,000 years/,
    );
  });

  it('in segment cannot multiply conditions past the limit', async () => {
    const create = (name: string, query: string) => s.post('/v1/segments', { name, query });
    expect((await create('s0', Array.from({ length: 100 }, (_, i) => `total_spent > ${i}`).join(' or '))).status).toBe(201);
    expect((await create('s1', 'in segment "s0" or in segment "s0"')).status).toBe(400);
    const r = await s.post('/v1/segments/preview', { query: 'in segment "s0" and in segment "s0" and in segment "s0"' });
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/more than 200 conditions once the segments it uses \(in segment\) are included/);
  });
});
