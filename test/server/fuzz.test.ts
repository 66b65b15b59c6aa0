import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import { fuzzRequests, runFuzz } from '../fixtures/fuzz.js';
import { tempStore } from '../helpers/store.js';
import { UNLIMITED } from './helpers.js';

// Issue 9: a seeded fuzz over every ingestion route and the segment preview. No answer of 500; every
// 4xx says what is wrong; the server is healthy after. bench/fuzz.ts runs 100,000 of these.
describe('hostile requests, generated from a seed', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let keys: Record<'server' | 'browser' | 'admin', string>;
  beforeAll(async () => {
    t = await tempStore();
    keys = {
      server: (await createApiKey(t.store, ['write'], 'server', 'server')).key,
      browser: (await createApiKey(t.store, ['write'], 'browser', 'browser')).key,
      admin: (await createApiKey(t.store, ['admin'], 'admin')).key,
    };
    app = await buildApp({ store: t.store, limits: UNLIMITED });
  });
  afterAll(async () => {
    await app.close();
    t.cleanup();
  });

  it('2,000 requests: no 500, every 4xx names the problem, and the server is healthy after', async () => {
    const requests = fuzzRequests(2000, 20240501);
    const tally = await runFuzz((o) => app.inject(o), keys, requests);
    console.log('answers by status:', JSON.stringify(tally.byStatus));
    expect(tally.serverErrors).toEqual([]);
    expect(tally.unclear).toEqual([]);
    expect(tally.noAnswer).toEqual([]);
    // the sample reaches both outcomes: stored requests and refused ones
    expect(tally.byStatus[200] ?? 0).toBeGreaterThan(80);
    expect(tally.byStatus[400] ?? 0).toBeGreaterThan(700);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const ok = await app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${keys.server}:`).toString('base64')}` },
      payload: { userId: 'after', event: 'E' },
    });
    expect(ok.statusCode).toBe(200);
  });
});
