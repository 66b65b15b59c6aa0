import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { basic } from '../server/helpers.js';
import { realtimeApp } from './helpers/app.js';

/**
 * audit10 G1: GET /v1/customers/{id}/segments left out, without a word, the saved segments the server
 * does not keep live (refused for real time), so a website read "not in it" where the answer is unknown.
 * Now every such segment is listed under `notLive` with the refusal's reason and the customer's stored
 * membership from the last bulk refresh (not live), held in memory: read again after a refresh or a merge
 * that moved such rows, and never read while nothing changed them.
 */

const T0 = Date.UTC(2024, 4, 1, 12);
const clock = new ManualClock(T0);
// At most 3 events held per segment: a sequence without a window over 6 orders is refused.
const ctx = realtimeApp({ pro: 'traits.plan = "pro"' }, { clock, maxHeldEvents: 3 });

async function send(url: string, key: string, payload: Record<string, unknown>): Promise<number> {
  return (await ctx.app.inject({ method: 'POST', url, headers: { authorization: basic(key), 'content-type': 'application/json' }, payload })).statusCode;
}

interface Answer {
  customerId: string;
  segments: { name: string }[];
  notLive: { id: string; name: string; reason: string; stored: { member: boolean; since: string | null; asOf: string } | null }[];
}

async function segmentsOf(id: string): Promise<Answer> {
  const res = await ctx.app.inject({ method: 'GET', url: `/v1/customers/${encodeURIComponent(id)}/segments`, headers: { authorization: basic(ctx.keys.read) } });
  expect(res.statusCode).toBe(200);
  return res.json() as Answer;
}

const order = (who: Record<string, string>, i: number): Record<string, unknown> => ({
  type: 'track',
  ...who,
  event: 'Order Completed',
  properties: { order_id: `o${i}`, revenue: 10 },
  messageId: `o${i}`,
  timestamp: new Date(T0 - (i + 1) * 3_600_000).toISOString(),
});

describe('GET /v1/customers/{id}/segments and the segments not kept live', () => {
  it('lists every segment not kept live with why, and the stored membership of the last refresh, kept current', async () => {
    expect(await send('/v1/identify', ctx.keys.write, { userId: 'u0', traits: { plan: 'pro' }, messageId: 'i0' })).toBe(200);
    expect(await send('/v1/identify', ctx.keys.write, { userId: 'u9', traits: { plan: 'free' }, messageId: 'i9' })).toBe(200);
    const batch = [order({ userId: 'u0' }, 0), order({ userId: 'u0' }, 1), order({ anonymousId: 'cookie-a' }, 2), order({ anonymousId: 'cookie-a' }, 3), order({ userId: 'u1' }, 4), order({ userId: 'u1' }, 5)];
    expect(await send('/v1/batch', ctx.keys.write, { batch })).toBe(200);

    // Every segment live: nothing else to say, and nothing read from the store to say it.
    const u0 = (await segmentsOf('u0')).customerId;
    const reads = vi.spyOn(ctx.store, 'transaction');
    expect(await segmentsOf(u0)).toEqual({ customerId: u0, asOf: new Date(T0).toISOString(), segments: [expect.objectContaining({ name: 'pro' })], notLive: [] });
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();

    expect(await send('/v1/segments', ctx.keys.admin, { name: 'repeat', query: 'performed "Order Completed" then "Order Completed" within 2d' })).toBe(201);
    expect(ctx.app.segmint.realtime!.refused().map((r) => r.name)).toEqual(['repeat']);
    const notRefreshed = await segmentsOf('u0');
    expect(notRefreshed.segments.map((s) => s.name)).toEqual(['pro']);
    expect(notRefreshed.notLive).toEqual([{ id: expect.stringMatching(/^seg_/), name: 'repeat', reason: expect.stringMatching(/^not kept live: .*sequence without a time window/), stored: null }]);

    // A bulk refresh stores members: the next answer has them (the held rows were read again).
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/segments/refresh', headers: { authorization: basic(ctx.keys.admin) }, payload: { name: 'repeat', asOf: new Date(T0).toISOString() } });
    expect(res.statusCode).toBe(200);
    const asOf = new Date(T0).toISOString();
    expect((await segmentsOf('u0')).notLive).toEqual([{ id: expect.any(String), name: 'repeat', reason: expect.any(String), stored: { member: true, since: expect.any(String), asOf } }]);
    expect((await segmentsOf('u9')).notLive).toEqual([{ id: expect.any(String), name: 'repeat', reason: expect.any(String), stored: { member: false, since: null, asOf } }]);

    // Held in memory: asking again, also after a live event, reads nothing.
    expect(await send('/v1/track', ctx.keys.write, { userId: 'u0', event: 'Ping', messageId: 'p1', timestamp: asOf })).toBe(200);
    const again = vi.spyOn(ctx.store, 'transaction');
    const u9 = (await segmentsOf('u9')).customerId;
    expect((await segmentsOf(u9)).notLive[0]!.stored).toEqual({ member: false, since: null, asOf });
    expect((await segmentsOf(u0)).notLive[0]!.stored).toMatchObject({ member: true });
    expect(again).not.toHaveBeenCalled();
    again.mockRestore();

    // A merge moves the anonymous member's stored rows to the survivor (u9): the answer follows.
    expect(await send('/v1/identify', ctx.keys.write, { userId: 'u9', anonymousId: 'cookie-a', messageId: 'm1' })).toBe(200);
    const merged = await segmentsOf('u9');
    expect(merged.customerId).toBe(u9);
    expect(merged.notLive[0]!.stored).toEqual({ member: true, since: expect.any(String), asOf });
  });
});
