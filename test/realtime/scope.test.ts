import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { refreshSegments } from '../../src/segments/manage/refresh.js';
import { basic } from '../server/helpers.js';
import { realtimeApp, sendBatch } from './helpers/app.js';

/**
 * What the engine evaluates and what it holds: only the definitions reading what changed, and a
 * definition whose state would be too large is refused for real time, with why, and stays available
 * for bulk refresh.
 */

const T0 = Date.UTC(2024, 4, 1, 12);
const clock = new ManualClock(T0);
const ctx = realtimeApp(
  { pinged: 'performed "Ping" within 1h', pro: 'traits.plan = "pro"', spenders: 'total_spent > 10' },
  { clock, maxHeldEvents: 5 },
);

const track = (batch: Record<string, unknown>[]): Promise<void> => sendBatch(ctx, batch);

const evaluations = (): Record<string, number> =>
  Object.fromEntries(ctx.app.segmint.realtime!.status().segments.map((s) => [s.name, s.evaluations]));

describe('the engine', () => {
  it('evaluates only the definitions that read what changed', async () => {
    await track([{ type: 'identify', userId: 'u1', traits: { plan: 'free' }, messageId: 'i1', timestamp: new Date(T0).toISOString() }]);
    const before = evaluations();
    await track([{ type: 'track', userId: 'u1', event: 'Ping', messageId: 'p1', timestamp: new Date(T0).toISOString() }]);
    const afterPing = evaluations();
    expect(afterPing.pinged! - before.pinged!).toBe(1);
    expect(afterPing.pro).toBe(before.pro);
    expect(afterPing.spenders).toBe(before.spenders);
    await track([{ type: 'track', userId: 'u1', event: 'Page Viewed', messageId: 'v1', timestamp: new Date(T0).toISOString() }]);
    expect(evaluations()).toEqual(afterPing);
    await track([{ type: 'identify', userId: 'u1', traits: { plan: 'pro' }, messageId: 'i2', timestamp: new Date(T0).toISOString() }]);
    const afterTrait = evaluations();
    expect(afterTrait.pro! - afterPing.pro!).toBe(1);
    expect(afterTrait.pinged).toBe(afterPing.pinged);
    await track([{ type: 'track', userId: 'u1', event: 'Order Completed', properties: { order_id: 'o1', revenue: 50 }, messageId: 'o1', timestamp: new Date(T0).toISOString() }]);
    const afterOrder = evaluations();
    expect(afterOrder.spenders! - afterTrait.spenders!).toBe(1);
    expect(afterOrder.pro).toBe(afterTrait.pro);
  });

  it('refuses a definition too costly to keep live, says why, and leaves it to bulk refresh', async () => {
    await track(Array.from({ length: 8 }, (_, i) => ({ type: 'track', userId: `v${i % 2}`, event: 'Page Viewed', messageId: `pv${i}`, timestamp: new Date(T0 - i * 1000).toISOString() })));
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/segments',
      headers: { authorization: basic(ctx.keys.admin) },
      payload: { name: 'browsers', query: 'performed "Page Viewed" then not "Order Completed" within 1h' },
    });
    expect(res.statusCode).toBe(201);
    const [refused] = ctx.app.segmint.realtime!.refused();
    expect(refused).toMatchObject({ name: 'browsers' });
    expect(refused!.reason).toMatch(/not kept live: it would hold about 10 events in memory \(the limit is 5 per segment\), most of them 9 "Page Viewed" events that a sequence without a time window must keep forever/);
    expect(ctx.app.segmint.realtime!.isLive('browsers')).toBe(false);
    const status = await ctx.app.inject({ method: 'GET', url: '/v1/realtime/status', headers: { authorization: basic(ctx.keys.admin) } });
    expect((status.json() as { refused: { name: string }[] }).refused.map((r) => r.name)).toEqual(['browsers']);
    // Bulk refresh still computes it (and leaves the live ones alone).
    const results = await refreshSegments(ctx.store, { asOf: new Date(T0 + 7_200_000), keptLive: (n) => ctx.app.segmint.realtime!.isLive(n) });
    expect(results.find((r) => r.name === 'browsers')).toMatchObject({ members: 3, entered: 3 });
    expect(results.find((r) => r.name === 'pinged')).toMatchObject({ live: true });
  });
});
