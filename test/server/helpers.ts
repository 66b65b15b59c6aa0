import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createApiKey, type KeyKind, type Scope } from '../../src/server/keys.js';
import type { HttpLimits } from '../../src/server/limits.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';
import { UNLIMITED } from '../fixtures/limits.js';

export interface TestServer {
  app: FastifyInstance;
  store: Store;
  key: string;
  post(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Record<string, string | string[] | number | undefined> }>;
  cleanup(): Promise<void>;
}

/** Rate limits out of the way: every inject comes from 127.0.0.1 (the rate-limit tests set their own). */
export { UNLIMITED };

/**
 * An app over a fresh store, with a key (a server key unless kind says browser); requests go through
 * Fastify's inject (no socket).
 */
export async function testServer(scopes: Scope[] = ['write'], opts: { kind?: KeyKind; limits?: Partial<HttpLimits> } = {}): Promise<TestServer> {
  const t = await tempStore();
  const { key } = await createApiKey(t.store, scopes, 'test', opts.kind ?? 'server');
  const app = await buildApp({ store: t.store, limits: { ...UNLIMITED, ...opts.limits } });
  return {
    app,
    store: t.store,
    key,
    async post(path, body, headers) {
      const res = await app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/json', authorization: basic(key), ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.statusCode, json: res.json(), headers: res.headers };
    },
    async cleanup() {
      await app.close();
      t.cleanup();
    },
  };
}

export function basic(key: string): string {
  return 'Basic ' + Buffer.from(`${key}:`).toString('base64');
}

export async function count(store: Store, sql: string, params: (string | number)[] = []): Promise<number> {
  return (await store.one<{ n: number }>(sql, params))?.n ?? -1;
}
