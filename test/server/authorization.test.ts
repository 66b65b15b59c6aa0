import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { buildApp } from '../../src/server/app.js';
import { dashboardDir } from '../../src/server/routes/dashboard.js';
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
  'GET /v1/me': 'read',
  // segments
  'GET /v1/segments': 'read',
  'POST /v1/segments': 'admin',
  'POST /v1/segments/preview': 'read',
  'POST /v1/segments/check': 'read',
  'POST /v1/segments/refresh': 'admin',
  'GET /v1/segments/:name': 'read',
  'PATCH /v1/segments/:name': 'admin',
  'DELETE /v1/segments/:name': 'admin',
  'GET /v1/segments/:name/members': 'read',
  'GET /v1/segments/:name/history': 'read',
  'GET /v1/segments/:name/explain/:customer': 'read',
  'GET /v1/segments/:name/export': 'read',
  'GET /v1/segments/:name/kpis': 'read',
  'GET /v1/segment-kpis': 'read',
  'GET /v1/segment-health': 'read',
  'GET /v1/fields': 'read',
  'GET /v1/overlap': 'read',
  // experiments
  'GET /v1/experiments': 'read',
  'POST /v1/experiments': 'admin',
  'GET /v1/experiments/:name': 'read',
  'GET /v1/experiments/:name/analysis': 'read',
  'GET /v1/experiments/:name/assignments': 'read',
  'DELETE /v1/experiments/:name': 'admin',
  // customers: profiles and what is computed about them
  'GET /v1/customers': 'read',
  'GET /v1/customers/stats': 'read',
  'GET /v1/customers/:id': 'read',
  'GET /v1/customers/:id/scores': 'read',
  'GET /v1/customers/:id/explain': 'read',
  'GET /v1/customers/:id/segments': 'read',
  'GET /v1/customers/:id/timeline': 'read',
  'GET /v1/customers/:id/recommendations': 'read',
  'GET /v1/customers/:id/consent': 'read',
  'POST /v1/customers/:id/consent': 'admin',
  // reports and analyses: reading is read, computing and saving is admin
  'GET /v1/overview': 'read',
  'GET /v1/quality': 'read',
  'GET /v1/rfm': 'read',
  'POST /v1/rfm': 'admin',
  'GET /v1/rfm/grid': 'read',
  'GET /v1/rfm/movement': 'read',
  'GET /v1/cohorts': 'read',
  'GET /v1/clusters': 'read',
  'POST /v1/clusters': 'admin',
  'GET /v1/clv/predictions': 'read',
  'GET /v1/clv/model': 'read',
  'GET /v1/clv/validation': 'read',
  'POST /v1/clv/fit': 'admin',
  'GET /v1/propensity/validation': 'read',
  'POST /v1/propensity/train': 'admin',
  'GET /v1/products/:id/together': 'read',
  'GET /v1/recommendations/evaluation': 'read',
  // imports and jobs
  'GET /v1/imports': 'read',
  'GET /v1/imports/:id': 'read',
  'POST /v1/imports': 'admin',
  'POST /v1/uploads': 'admin',
  'POST /v1/uploads/:id/preview': 'admin',
  'GET /v1/jobs': 'read',
  'GET /v1/jobs/:id': 'read',
  // workflows: reports for read, definitions (webhook headers) and changes for admin
  'GET /v1/workflows': 'read',
  'GET /v1/workflow-templates': 'read',
  'POST /v1/workflows': 'admin',
  'GET /v1/workflows/:name': 'admin',
  'PUT /v1/workflows/:name': 'admin',
  'POST /v1/workflows/:name/pause': 'admin',
  'POST /v1/workflows/:name/resume': 'admin',
  'DELETE /v1/workflows/:name': 'admin',
  'GET /v1/workflows/:name/runs': 'read',
  'GET /v1/workflow-runs/:id': 'read',
  'GET /v1/workflows/:name/steps': 'read',
  'POST /v1/workflows/:name/preview': 'admin',
  // the link in every email: its token is the authorisation
  'GET /v1/unsubscribe': 'public',
  'POST /v1/unsubscribe': 'public',
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
  // real-time segments: membership, the change stream, status; webhooks are admin (they carry secrets)
  'GET /v1/segments/:name/changes': 'read',
  'GET /v1/changes': 'read',
  'GET /v1/realtime/status': 'read',
  'GET /v1/webhooks': 'admin',
  'POST /v1/webhooks': 'admin',
  'DELETE /v1/webhooks/:id': 'admin',
  'GET /v1/webhooks/deliveries': 'admin',
  // fairness
  'GET /v1/segments/:name/audit': 'read',
  'GET /v1/propensity/audit': 'read',
  // the dashboard's page; its built files are added below, each public
  'GET /': 'public',
};
const DASHBOARD_FILES = dashboardFiles();
Object.assign(TABLE, DASHBOARD_FILES);

/**
 * The files of the dashboard build (dist/web), each served by its own public route; none when the
 * dashboard is not built. Only these, the build's own files, may be public without a row above (the
 * server serves those of the types it knows, so a listed file need not have a route).
 */
function dashboardFiles(): Record<string, Access> {
  const dir = dashboardDir();
  if (!dir) return {};
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(
    files
      .map((e) => '/' + relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
      .filter((url) => url !== '/index.html')
      .map((url) => [`GET ${url}`, 'public' as const]),
  );
}

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
    expect([...listed].filter((r) => !present.has(r) && !(r in DASHBOARD_FILES)), 'table rows for routes that no longer exist').toEqual([]);
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
