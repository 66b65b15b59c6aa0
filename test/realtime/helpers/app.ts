import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { registerAllFields } from '../../../src/fields.js';
import { createSegment } from '../../../src/segments/manage/crud.js';
import { buildApp } from '../../../src/server/app.js';
import { createApiKey } from '../../../src/server/keys.js';
import type { RealtimeServerOptions } from '../../../src/server/realtime.js';
import type { Store } from '../../../src/store/db.js';
import { tempStore } from '../../helpers/store.js';
import { basic } from '../../server/helpers.js';

export interface RealtimeApp {
  app: FastifyInstance;
  store: Store;
  /** keys by scope: admin, write, read */
  keys: { admin: string; write: string; read: string };
}

/**
 * For a test file: a fresh store with the given segments saved, an app with real-time segments on it
 * (driven by the options' clock), and a key of each scope. Built in beforeAll, closed in afterAll; the
 * returned object is filled in by then.
 */
export function realtimeApp(segments: Record<string, string>, options: RealtimeServerOptions): RealtimeApp {
  const ctx = {} as RealtimeApp;
  let cleanup = (): void => undefined;
  beforeAll(async () => {
    registerAllFields();
    const t = await tempStore();
    cleanup = t.cleanup;
    ctx.store = t.store;
    ctx.keys = {
      admin: (await createApiKey(t.store, ['admin'], 'test')).key,
      write: (await createApiKey(t.store, ['write'], 'test')).key,
      read: (await createApiKey(t.store, ['read'], 'test')).key,
    };
    for (const [name, query] of Object.entries(segments)) await createSegment(t.store, { name, definition: { query } });
    ctx.app = await buildApp({ store: t.store, realtime: options });
  });
  afterAll(async () => {
    await ctx.app?.close();
    cleanup();
  });
  return ctx;
}

/** Posts live events to the app's /v1/batch with its write key and expects them accepted (200). */
export async function sendBatch(ctx: RealtimeApp, batch: Record<string, unknown>[]): Promise<void> {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic(ctx.keys.write) }, payload: { batch } });
  expect(res.statusCode).toBe(200);
}
