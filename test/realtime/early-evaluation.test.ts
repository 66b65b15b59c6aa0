import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { realtimeApp, sendBatch } from './helpers/app.js';

/**
 * A live commit's customers whose profile its events cannot change (no identify with traits, no
 * consent, no order) and whom the engine already holds are evaluated while ingestion writes the events
 * (RealtimeEngine.beforeWrites, applyEarly); the others after (applyCommit). Each customer's events are
 * counted once, whichever part took them, and the changes are the same.
 */

const T0 = Date.UTC(2024, 4, 1, 12);
const clock = new ManualClock(T0);
const ctx = realtimeApp(
  {
    pinged: 'performed "Ping" within 1h',
    twice: 'count of "Ping" within 1h >= 2',
    pro: 'traits.plan = "pro"',
    spenders: 'total_spent > 10',
  },
  { clock },
);

const track = (batch: Record<string, unknown>[]): Promise<void> => sendBatch(ctx, batch);
const at = (s: number): string => new Date(T0 - 60_000 + s * 1000).toISOString();
const early = (): number => ctx.app.segmint.realtime!.status().lastStep.early;
async function history(): Promise<string[]> {
  const rows = await ctx.store.all<{ name: string; value: string; change: string }>(
    `SELECT s.name, i.value, h.change FROM segment_history h JOIN segments s USING (segment_id)
     JOIN identities i ON i.customer_id = h.customer_id AND i.kind = 'user_id' ORDER BY h.seq`,
  );
  return rows.map((r) => `${r.name} ${r.value} ${r.change}`);
}

describe('a live commit', () => {
  it('evaluates during ingestion the known customers whose events alone decide, counting each event once', async () => {
    // a customer new to the engine is read whole, after the writes
    await track([{ type: 'identify', userId: 'u1', traits: { plan: 'free' }, messageId: 'i1', timestamp: at(0) }]);
    expect(early()).toBe(0);
    // a known customer's Ping: evaluated early; one Ping, so not yet "twice"
    await track([{ type: 'track', userId: 'u1', event: 'Ping', messageId: 'p1', timestamp: at(1) }]);
    expect(early()).toBe(1);
    expect(await history()).toEqual(['pinged u1 entered']);
    // one commit with both kinds: u1's second Ping early, a new customer with traits after
    await track([
      { type: 'track', userId: 'u1', event: 'Ping', messageId: 'p2', timestamp: at(2) },
      { type: 'identify', userId: 'u2', traits: { plan: 'pro' }, messageId: 'i2', timestamp: at(2) },
    ]);
    expect(early()).toBe(1);
    expect(await history()).toEqual(['pinged u1 entered', 'pro u2 entered', 'twice u1 entered']);
    // an order changes the profile: not early, whatever else the customer sends
    await track([
      { type: 'track', userId: 'u1', event: 'Ping', messageId: 'p3', timestamp: at(3) },
      { type: 'track', userId: 'u1', event: 'Order Completed', properties: { order_id: 'o1', revenue: 50 }, messageId: 'o1', timestamp: at(3) },
    ]);
    expect(early()).toBe(0);
    expect(await history()).toEqual(['pinged u1 entered', 'pro u2 entered', 'twice u1 entered', 'spenders u1 entered']);
    // and the engine's members agree with the stored ones
    const stored = await ctx.store.all<{ name: string; n: number }>(
      'SELECT s.name, count(*)::INTEGER AS n FROM segment_members m JOIN segments s USING (segment_id) GROUP BY 1 ORDER BY 1',
    );
    const live = Object.fromEntries(ctx.app.segmint.realtime!.status().segments.map((s) => [s.name, s.members]));
    expect(Object.fromEntries(stored.map((r) => [r.name, r.n]))).toEqual(Object.fromEntries(Object.entries(live).filter(([, n]) => n > 0)));
  });
});
