import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { getSegment } from '../../src/segments/manage/crud.js';
import { basic } from '../server/helpers.js';
import { realtimeApp, sendBatch } from './helpers/app.js';

/**
 * A segment is refused for real time only for the state it needs itself. "heavy" counts orders ever
 * (a summary: nothing held); "pairs" is a sequence without a window over the same event, so it must keep
 * every order. The two share one event stream, but adding "pairs" must not refuse "heavy", nor give
 * heavy the sequence's reason (recheck12 N4: it did both, live and in the stored refusal).
 */

const T0 = Date.UTC(2024, 4, 1, 12);
const clock = new ManualClock(T0);
const ctx = realtimeApp({ heavy: 'performed "Order Completed"' }, { clock, maxHeldEvents: 3 });

describe('a refusal for real time', () => {
  it('is decided on the segment’s own state, not on another segment’s use of a shared stream', async () => {
    const batch = Array.from({ length: 6 }, (_, i) => ({
      type: 'track',
      userId: `u${i % 3}`,
      event: 'Order Completed',
      properties: { order_id: `o${i}`, revenue: 10 },
      messageId: `o${i}`,
      timestamp: new Date(T0 - (i + 1) * 3_600_000).toISOString(),
    }));
    await sendBatch(ctx, batch);
    const rt = ctx.app.segmint.realtime!;
    expect(rt.isLive('heavy')).toBe(true);

    const created = await ctx.app.inject({
      method: 'POST',
      url: '/v1/segments',
      headers: { authorization: basic(ctx.keys.admin) },
      payload: { name: 'pairs', query: 'performed "Order Completed" then "Order Completed" within 2d' },
    });
    expect(created.statusCode).toBe(201);

    // Only the sequence is refused, with its own reason: 6 orders kept forever, over the limit of 3.
    expect(rt.refused().map((r) => r.name)).toEqual(['pairs']);
    expect(rt.refused()[0]!.reason).toMatch(/about 6 events in memory \(the limit is 3 per segment\), most of them 6 "Order Completed" events that a sequence without a time window/);
    expect(rt.isLive('heavy')).toBe(true);
    expect(rt.isLive('pairs')).toBe(false);

    // What commands without a server read (migration 30's record) says the same.
    expect((await getSegment(ctx.store, 'heavy')).notKeptLive).toBeNull();
    expect((await getSegment(ctx.store, 'pairs')).notKeptLive?.reason).toMatch(/sequence without a time window/);

    // heavy still follows new orders live.
    const status = (): Record<string, number> => Object.fromEntries(rt.status().segments.map((s) => [s.name, s.members]));
    expect(status().heavy).toBe(3);
    const more = await ctx.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: basic(ctx.keys.write) },
      payload: { batch: [{ type: 'track', userId: 'u9', event: 'Order Completed', properties: { order_id: 'o9', revenue: 5 }, messageId: 'o9', timestamp: new Date(T0).toISOString() }] },
    });
    expect(more.statusCode).toBe(200);
    expect(status().heavy).toBe(4);
  });
});
