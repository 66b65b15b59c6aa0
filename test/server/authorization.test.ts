import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createApiKey, type Scope } from '../../src/server/keys.js';
import { tempStore } from '../helpers/store.js';
import { basic } from './helpers.js';

/**
 * The authorisation matrix: every route of the running app, called with no key, a wrong key, and a key
 * of each scope, against the table below. A route the table does not list fails the test, so a new
 * endpoint must say here who may call it. `public` needs no key; otherwise the scope the route needs
 * (admin holds every scope). Allowed means any answer but 401 and 403 (a 400 for the empty body the
 * test sends is fine); refused means 401 without a valid key and 403 with a key lacking the scope.
 */
type Access = 'public' | Scope;

const INGEST = ['identify', 'i', 'track', 't', 'page', 'p', 'screen', 's', 'group', 'g', 'alias', 'a', 'batch', 'b', 'import'];

const TABLE: Record<string, Access> = {
  'GET /health': 'public',
  'GET /openapi.json': 'public',
  ...Object.fromEntries(INGEST.flatMap((n) => [[`POST /v1/${n}`, 'write'], [`OPTIONS /v1/${n}`, 'public']])),
  // keys
  'GET /v1/keys': 'admin',
  'POST /v1/keys': 'admin',
  'DELETE /v1/keys/:keyId': 'admin',
  // segments
  'GET /v1/segments': 'admin',
  'POST /v1/segments': 'admin',
  'POST /v1/segments/preview': 'admin',
  'POST /v1/segments/refresh': 'admin',
  'GET /v1/segments/:name': 'admin',
  'PATCH /v1/segments/:name': 'admin',
  'DELETE /v1/segments/:name': 'admin',
  'GET /v1/segments/:name/members': 'admin',
  'GET /v1/segments/:name/history': 'admin',
  'GET /v1/segments/:name/explain/:customer': 'admin',
  'GET /v1/segments/:name/export': 'admin',
  'GET /v1/segments/:name/kpis': 'read',
  'GET /v1/segment-kpis': 'read',
  'GET /v1/segment-health': 'read',
  // experiments
  'GET /v1/experiments': 'read',
  'POST /v1/experiments': 'admin',
  'GET /v1/experiments/:name': 'read',
  'GET /v1/experiments/:name/analysis': 'read',
  'GET /v1/experiments/:name/assignments': 'read',
  'DELETE /v1/experiments/:name': 'admin',
  // privacy: erasure, subject access, audit log, retention, settings
  'DELETE /v1/customers/:id': 'admin',
  'GET /v1/customers/:id/export': 'admin',
  'POST /v1/regulations': 'admin',
  'GET /v1/regulations': 'admin',
  'GET /v1/regulations/:regulationId': 'admin',
  'GET /v1/audit': 'admin',
  'POST /v1/retention/run': 'admin',
  'GET /v1/config': 'admin',
  'GET /v1/config/:key': 'admin',
  'PUT /v1/config/:key': 'admin',
  'DELETE /v1/config/:key': 'admin',
  // fairness
  'GET /v1/segments/:name/audit': 'read',
  'GET /v1/propensity/audit': 'read',
};

const CALLERS = ['none', 'wrong', 'write', 'read', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

let app: FastifyInstance;
let cleanup: () => void;
const keys: Partial<Record<Caller, string>> = { wrong: 'sgm_not-a-key-of-this-database' };

beforeAll(async () => {
  const t = await tempStore();
  cleanup = t.cleanup;
  for (const s of ['write', 'read', 'admin'] as const) keys[s] = (await createApiKey(t.store, [s], s)).key;
  app = await buildApp({ store: t.store });
});

afterAll(async () => {
  await app.close();
  cleanup();
});

/** The routes of the app, HEAD left out (Fastify adds one per GET, with the GET's handler and checks). */
const routes = () => app.routeList.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`);

function expected(access: Access, caller: Caller): 'allowed' | 401 | 403 {
  if (access === 'public') return 'allowed';
  if (caller === 'none' || caller === 'wrong') return 401;
  return caller === 'admin' || caller === access ? 'allowed' : 403;
}

describe('authorisation matrix', () => {
  it('lists every route of the app, and only those', () => {
    const listed = new Set(Object.keys(TABLE));
    const present = new Set(routes());
    expect([...present].filter((r) => !listed.has(r)), 'routes missing from the table: add them with the scope they need').toEqual([]);
    expect([...listed].filter((r) => !present.has(r)), 'table rows for routes that no longer exist').toEqual([]);
  });

  it('answers each route for each caller as the table says', async () => {
    const wrong: string[] = [];
    for (const route of routes()) {
      const [method, pattern] = route.split(' ') as [string, string];
      const url = pattern.replace(/:(\w+)/g, (_m, p: string) => `no-such-${p}`);
      for (const caller of CALLERS) {
        const key = keys[caller];
        const res = await app.inject({
          method: method as 'GET',
          url,
          headers: { ...(key ? { authorization: basic(key) } : {}), ...(['POST', 'PUT', 'PATCH'].includes(method) ? { 'content-type': 'application/json' } : {}) },
          payload: ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined,
        });
        const want = expected(TABLE[route]!, caller);
        const ok = want === 'allowed' ? res.statusCode !== 401 && res.statusCode !== 403 && res.statusCode < 500 : res.statusCode === want;
        if (!ok) wrong.push(`${route} as ${caller}: ${res.statusCode}, expected ${want} (${res.body.slice(0, 120)})`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
