import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import { qualityReport } from '../../src/ingest/quality/report.js';
import { createApiKey } from '../../src/server/keys.js';
import { basic, testServer, type TestServer } from './helpers.js';

// Issue 9, kind 4: the write key in web pages is public, so its orders are claims. A trusted source (a
// server key, an import) is never displaced by one; a conflict is recorded and reported, not decided by
// who came first.
describe('a browser key cannot take over orders', () => {
  let s: TestServer;
  let browser: Record<string, string>;
  let dir: string;
  const ownerOf = async (orderId: string) =>
    s.store.one<{ customer_id: string | null; revenue: number; user_id: string | null }>(
      `SELECT o.customer_id, o.revenue::DOUBLE AS revenue, (SELECT min(value) FROM identities i WHERE i.customer_id = o.customer_id AND kind = 'user_id') AS user_id
       FROM orders o WHERE order_id = $1`,
      [orderId],
    );
  const ordersOf = async (kind: string, value: string) =>
    (await s.store.one<{ n: number }>(
      `SELECT coalesce((SELECT orders_count FROM customer_metrics m JOIN identities i USING (customer_id) WHERE i.kind = $1 AND i.value = $2), 0) AS n`,
      [kind, value],
    ))!.n;
  const order = (who: Record<string, string>, orderId: string, total: number, messageId: string) => ({
    ...who,
    event: 'Order Completed',
    messageId,
    timestamp: '2024-05-01T10:00:00Z',
    properties: { order_id: orderId, total },
  });

  beforeAll(async () => {
    s = await testServer(['write'], { kind: 'server' });
    browser = { authorization: basic((await createApiKey(s.store, ['write'], 'web site')).key) };
    dir = mkdtempSync(join(tmpdir(), 'segmint-takeover-'));
  });
  afterAll(async () => {
    await s.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a write-only key is a browser key unless made a server key; a browser key may only write', async () => {
    const keys = await s.store.all<{ key_id: string; kind: string }>('SELECT key_id, kind FROM api_key_kinds ORDER BY kind');
    expect(keys.map((k) => k.kind)).toEqual(['browser', 'server']);
    await expect(createApiKey(s.store, ['write', 'read'], 'x', 'browser')).rejects.toThrow(/A browser key is public .* may only send events/);
  });

  it('claims made first with the browser key yield to a server key and to an import', async () => {
    // The attacker claims the next order numbers before they exist.
    for (const [id, m] of [
      ['#1002', 'a-1'],
      ['#1003', 'a-2'],
    ]) {
      expect((await s.post('/v1/track', order({ anonymousId: 'attacker' }, id!, 1, m!), browser)).status).toBe(200);
    }
    expect(await ordersOf('anonymous_id', 'attacker')).toBe(2);

    // The shop's server sends the real order #1002.
    expect((await s.post('/v1/track', order({ userId: 'real-1' }, '#1002', 80, 'srv-1'))).json).toMatchObject({ stored: 1 });
    expect(await ownerOf('#1002')).toMatchObject({ user_id: 'real-1', revenue: 80 });

    // The import of the shop's export brings #1003.
    const csv = join(dir, 'orders.csv');
    writeFileSync(csv, 'order_ref,client,placed,amount\n#1003,real-2,2024-05-01T11:00:00Z,45.00\n');
    await importFile(s.store, csv, { format: 'generic', map: ['order_ref=order_id', 'client=user_id', 'placed=placed_at', 'amount=amount'], currency: 'EUR' });
    expect(await ownerOf('#1003')).toMatchObject({ user_id: 'real-2', revenue: 45 });

    // The attacker's profile lost both claims; the real customers have their orders.
    expect(await ordersOf('anonymous_id', 'attacker')).toBe(0);
    expect(await ordersOf('user_id', 'real-1')).toBe(1);
    expect(await ordersOf('user_id', 'real-2')).toBe(1);
  });

  it('a browser claim on a trusted order is ignored and recorded', async () => {
    expect((await s.post('/v1/track', order({ anonymousId: 'attacker' }, '#1002', 1, 'a-3'), browser)).status).toBe(200);
    expect(await ownerOf('#1002')).toMatchObject({ user_id: 'real-1', revenue: 80 });
    expect(await ordersOf('anonymous_id', 'attacker')).toBe(0);
  });

  it('two browser claims for different customers leave the order to no one until a trusted source says', async () => {
    expect((await s.post('/v1/track', order({ anonymousId: 'visitor' }, '#2001', 30, 'v-1'), browser)).status).toBe(200);
    expect((await s.post('/v1/track', order({ anonymousId: 'attacker' }, '#2001', 1, 'a-4'), browser)).status).toBe(200);
    expect(await ownerOf('#2001')).toMatchObject({ customer_id: null });
    expect(await ordersOf('anonymous_id', 'visitor')).toBe(0);
    expect(await ordersOf('anonymous_id', 'attacker')).toBe(0);
    // the same customer sending its own order again is no conflict
    expect((await s.post('/v1/track', order({ anonymousId: 'visitor' }, '#2002', 30, 'v-2'), browser)).status).toBe(200);
    expect((await s.post('/v1/track', order({ anonymousId: 'visitor' }, '#2002', 30, 'v-3'), browser)).status).toBe(200);
    expect(await ordersOf('anonymous_id', 'visitor')).toBe(1);
    // the server settles #2001
    expect((await s.post('/v1/track', order({ anonymousId: 'visitor' }, '#2001', 30, 'srv-2'))).status).toBe(200);
    expect(await ordersOf('anonymous_id', 'visitor')).toBe(2);
  });

  it('shows every conflict in the quality report', async () => {
    const report = await qualityReport(s.store, new Date('2024-06-01T00:00:00Z'));
    const check = report.checks.find((c) => c.id === 'order_conflicts')!;
    expect(check.count).toBe(3); // #1002, #1003, #2001
    expect(check.details).toEqual({
      by_outcome: { browser_claim_ignored: 1, browser_claim_replaced: 3, browser_claims_disagree: 1 },
    });
    const replaced = (check.examples as { order_id: string; outcome: string; kept_source: string; other_source: string }[]).filter(
      (e) => e.outcome === 'browser_claim_replaced',
    );
    expect(replaced.map((e) => [e.order_id, e.kept_source, e.other_source]).sort()).toEqual([
      ['#1002', 'http:server', 'http:browser'],
      ['#1003', 'import:generic', 'http:browser'],
      ['#2001', 'http:server', 'http:browser'],
    ]);
  });
});
