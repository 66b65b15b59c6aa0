import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAllFields } from '../../../src/fields.js';
import { startServer } from '../../../src/server/app.js';
import { createApiKey } from '../../../src/server/keys.js';
import { createSegment } from '../../../src/segments/manage/crud.js';
import { explainMembership } from '../../../src/segments/manage/explain.js';
import { refreshSegments } from '../../../src/segments/manage/refresh.js';
import { Store } from '../../../src/store/db.js';
import { profiles } from '../../fixtures/segments/conformance-worlds.js';
import { loadWorld } from '../../fixtures/segments/world.js';
import { tempStore } from '../../helpers/store.js';
import { basic } from '../../server/helpers.js';

/**
 * Recheck 7, N6: `segments explain --json` said through a running server that the stored membership
 * describes the moment the server started (the row's mark at start), while once the server stopped it
 * said the moment the engine had kept it current to. A segment kept live is current up to the engine's
 * watermark: the answer read while it runs is the answer read after it stops.
 */
describe('explain of a live segment, with and without the server', () => {
  let db: string;
  let cleanup: () => void;
  beforeAll(async () => {
    registerAllFields();
    const t = await tempStore();
    await loadWorld(t.store, profiles);
    await createSegment(t.store, { name: 'lapsed', definition: { query: 'last_order_at < -90d' }, description: null, notes: null });
    await refreshSegments(t.store, { asOf: new Date('2024-06-30T00:00:00Z'), name: 'lapsed' });
    t.store.close();
    db = t.path;
    cleanup = t.cleanup;
  });
  afterAll(() => cleanup());

  it('gives the same storedMember and storedAsOf through the server (function and HTTP) as after it stops', async () => {
    const asOf = new Date('2024-06-30T00:00:00Z');
    const store = await Store.open(db);
    const key = (await createApiKey(store, ['read'], 'test')).key;
    const writeKey = (await createApiKey(store, ['write'], 'writer')).key;
    const server = await startServer({ store, port: 0, host: '127.0.0.1' });
    let served: Awaited<ReturnType<typeof explainMembership>>;
    let http: Record<string, unknown>;
    try {
      expect(server.app.segmint.realtime?.isLive('lapsed')).toBe(true);
      // The server's start wrote its mark into the row; then live events move the engine on.
      await new Promise((r) => setTimeout(r, 30));
      const sent = await fetch(`${server.url}/v1/track`, { method: 'POST', headers: { authorization: basic(writeKey), 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'explain-n6', event: 'Viewed' }) });
      expect(sent.status).toBe(200);
      served = await explainMembership(store, 'lapsed', 'a', asOf, { keptLive: true });
      const res = await fetch(`${server.url}/v1/segments/lapsed/explain/a?asOf=2024-06-30`, { headers: { authorization: basic(key) } });
      expect(res.status).toBe(200);
      http = (await res.json()) as Record<string, unknown>;
    } finally {
      await server.close();
    }
    const after = await explainMembership(store, 'lapsed', 'a', asOf);
    store.close();
    expect(after.storedAsOf).not.toBeNull();
    // the stored moment is the engine's, not the 2024 refresh's
    expect(after.storedAsOf!.getTime()).toBeGreaterThan(asOf.getTime());
    expect(JSON.parse(JSON.stringify(served))).toEqual(JSON.parse(JSON.stringify(after)));
    expect({ storedMember: http.storedMember, storedAsOf: http.storedAsOf }).toEqual({ storedMember: after.storedMember, storedAsOf: after.storedAsOf!.toISOString() });
  });
});
