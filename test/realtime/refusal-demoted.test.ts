import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { formatMembers } from '../../src/segments/manage/format.js';
import { segmentMembers } from '../../src/segments/manage/history.js';
import { basic } from '../server/helpers.js';
import { realtimeApp } from './helpers/app.js';

/**
 * A segment kept live, never refreshed in bulk, that the server refuses later (its events grew past the
 * limit, judged again when another definition is added) keeps the rows the engine wrote, and its header
 * says what they are: the members as of the watermark they were exact at, not "not refreshed yet"
 * (recheck12 N4, the header listing a member under "has not been refreshed yet").
 */

const T0 = Date.UTC(2024, 4, 1, 12);
const clock = new ManualClock(T0);
const ctx = realtimeApp({}, { clock, maxHeldEvents: 3 });

const order = (i: number): Record<string, unknown> => ({
  type: 'track',
  userId: `u${i % 2}`,
  event: 'Order Completed',
  properties: { order_id: `o${i}`, revenue: 10 },
  messageId: `o${i}`,
  timestamp: new Date(T0 - (i + 1) * 3_600_000).toISOString(),
});

async function post(url: string, key: string, payload: Record<string, unknown>): Promise<number> {
  return (await ctx.app.inject({ method: 'POST', url, headers: { authorization: basic(key) }, payload })).statusCode;
}

describe('a live segment refused later', () => {
  it('lists the rows the engine wrote as of the watermark, with why it is no longer live', async () => {
    expect(await post('/v1/batch', ctx.keys.write, { batch: [0, 1].map(order) })).toBe(200);
    expect(await post('/v1/segments', ctx.keys.admin, { name: 'pairs', query: 'performed "Order Completed" then "Order Completed" within 2d' })).toBe(201);
    const rt = ctx.app.segmint.realtime!;
    expect(rt.isLive('pairs')).toBe(true);
    expect(await post('/v1/batch', ctx.keys.write, { batch: [2, 3, 4, 5].map(order) })).toBe(200);
    expect(await post('/v1/segments', ctx.keys.admin, { name: 'other', query: 'performed "Ping"' })).toBe(201);
    expect(rt.refused().map((r) => r.name)).toEqual(['pairs']);

    const m = await segmentMembers(ctx.store, 'pairs', { live: 'not-kept' });
    expect(m.total).toBe(2);
    expect(m).toMatchObject({ source: 'refresh', asOf: new Date(T0) });
    expect(m.notKeptLive?.reason).toMatch(/sequence without a time window/);
    expect(formatMembers(m).split('\n')[0]).toMatch(/^2 members of "pairs" as of 2024-05-01T12:00:00Z \(last refresh\); not kept live by the server: /);
  });
});
