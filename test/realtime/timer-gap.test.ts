import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { realtimeApp, sendBatch } from './helpers/app.js';

/**
 * The timer's gap (EngineOptions.timerGapMs): after any step the timer waits that long before a step
 * of its own, so changes that come due between live commits ride on the next commit instead of a
 * transaction of their own; a change is still recorded at the instant it came true, and none waits
 * longer than the gap when no commit comes.
 */
const T0 = Date.UTC(2024, 4, 1, 12);
const clock = new ManualClock(T0);
const ctx = realtimeApp({ pinged: 'performed "Ping" within 60s' }, { clock, timerGapMs: 200 });

const track = (batch: Record<string, unknown>[]): Promise<void> => sendBatch(ctx, batch);
const ping = (user: string, at: number) => ({ type: 'track', userId: user, event: 'Ping', messageId: `${user}-${at}`, timestamp: new Date(at).toISOString() });
const exits = async () =>
  (await ctx.store.all<{ at: Date }>("SELECT h.changed_at AS at FROM segment_history h JOIN segments s USING (segment_id) WHERE s.name = 'pinged' AND h.change = 'exited' ORDER BY h.seq")).map((r) => r.at.getTime());
const settle = () => ctx.app.segmint.realtime!.idle();

describe('the timer leaves a gap after a step', () => {
  it('a change due right after a step waits for the gap, or for the next commit, and is recorded at its instant', async () => {
    await track([ping('a', T0)]);
    // a's exit is due at T0 + 60 s. A commit 50 ms before it: the timer may not fire until 150 ms after.
    clock.set(T0 + 60_000 - 50);
    await track([ping('b', T0 + 60_000 - 50)]);
    clock.set(T0 + 60_000 + 100);
    await settle();
    expect(await exits()).toEqual([]);
    clock.set(T0 + 60_000 + 150);
    await settle();
    expect(await exits()).toEqual([T0 + 60_000]);
    // b's exit is due at T0 + 120 s − 50 ms. A commit 50 ms before it moves the timer to 150 ms after it;
    // a commit 40 ms after it, before the gap ends, applies it (the clock never reaches the timer).
    clock.set(T0 + 120_000 - 100);
    await track([ping('c', T0 + 120_000 - 100)]);
    clock.set(T0 + 120_000 - 10);
    await track([ping('d', T0 + 120_000 - 10)]);
    expect(await exits()).toEqual([T0 + 60_000, T0 + 120_000 - 50]);
  });
});
