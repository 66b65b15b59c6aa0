import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import { UNLIMITED } from '../fixtures/limits.js';
import { tempStore } from '../helpers/store.js';
import { basic } from './helpers.js';

/**
 * The server's request log (pino, on `serve`'s stderr) kept customer identifiers from URLs, so they
 * outlived `customers erase` (trial 6, D6). It records the route pattern, as the audit log does.
 */
describe("the server's request log", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('records the route pattern of each request, never the identifiers in its path or query', async () => {
    const t = await tempStore();
    cleanups.push(t.cleanup);
    let log = '';
    const stream = new Writable({ write: (c: Buffer, _e, cb) => ((log += c.toString()), cb()) });
    const app = await buildApp({ store: t.store, logger: { level: 'info', stream }, limits: UNLIMITED });
    cleanups.push(() => app.close());
    const write = (await createApiKey(t.store, ['write'], 'w')).key;
    const read = (await createApiKey(t.store, ['read'], 'r')).key;
    const sent = await app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: basic(write), 'content-type': 'application/json' },
      payload: { userId: 'ann-secret-id', traits: { email: 'ann.private@example.test' }, messageId: 'm1' },
    });
    expect(sent.statusCode).toBe(200);
    for (const url of ['/v1/customers/ann.private%40example.test', '/v1/customers/ann-secret-id/segments?explain=true', '/v1/nowhere/ann-secret-id']) {
      await app.inject({ method: 'GET', url, headers: { authorization: basic(read) } });
    }
    const lines = log.trim().split('\n').map((l) => JSON.parse(l) as { req?: { route?: string; method?: string } });
    const routes = lines.flatMap((l) => (l.req?.route ? [`${l.req.method} ${l.req.route}`] : []));
    expect(routes).toEqual(expect.arrayContaining(['POST /v1/identify', 'GET /v1/customers/:id', 'GET /v1/customers/:id/segments']));
    expect(log).not.toMatch(/ann-secret-id|ann\.private|ann\.private%40/);
  });
});
