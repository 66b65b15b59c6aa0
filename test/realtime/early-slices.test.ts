import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { realtimeApp, sendBatch } from './helpers/app.js';

/**
 * The early part of a live commit (applyEarly) applies what came due and evaluates the commit's
 * customers in slices of a fraction of a millisecond, giving the event loop a turn between them so that
 * ingestion's statements are not held. A tick cut into slices and resumed must apply every due change
 * once, at its own instant: 2,000 exits due at one moment take many slices on any machine.
 */
const T0 = Date.UTC(2024, 4, 1, 12);
const N = 2_000;
const clock = new ManualClock(T0);
// No step of the timer's own: the exits are left to the commit's early part.
const ctx = realtimeApp({ pinged: 'performed "Ping" within 60s', twice: 'count of "Ping" within 1h >= 2' }, { clock, timerGapMs: 3_600_000 });

const ping = (user: string, at: number) => ({ type: 'track', userId: user, event: 'Ping', messageId: `${user}-${at}`, timestamp: new Date(at).toISOString() });

describe('the early part of a live commit, in slices', () => {
  it('records each change that came due once, at its instant, with the commit’s own', async () => {
    const engine = ctx.app.segmint.realtime!;
    for (let i = 0; i < N; i += 500) await sendBatch(ctx, Array.from({ length: 500 }, (_, k) => ping(`u${i + k}`, T0)));
    await engine.idle();
    expect(engine.status().segments.find((s) => s.name === 'pinged')!.members).toBe(N);

    // Every exit is due at T0 + 60 s; a commit at T0 + 60.05 s takes them in its early part, and its own
    // Ping (u0's second) is evaluated there too.
    clock.set(T0 + 60_050);
    await sendBatch(ctx, [ping('u0', T0 + 60_050)]);
    await engine.idle();
    expect(engine.status().lastStep.early).toBe(1);

    const rows = await ctx.store.all<{ name: string; change: string; at: number; n: number }>(
      `SELECT s.name, h.change, epoch_ms(h.changed_at) AS at, count(*)::INTEGER AS n
       FROM segment_history h JOIN segments s USING (segment_id) GROUP BY ALL ORDER BY ALL`,
    );
    expect(rows).toEqual([
      { name: 'pinged', change: 'entered', at: T0, n: N },
      { name: 'pinged', change: 'entered', at: T0 + 60_050, n: 1 },
      { name: 'pinged', change: 'exited', at: T0 + 60_000, n: N },
      { name: 'twice', change: 'entered', at: T0 + 60_050, n: 1 },
    ]);
    // no exit recorded twice (one row per customer), and the stored members are the live ones
    const perCustomer = await ctx.store.one<{ most: number }>(
      "SELECT max(n)::INTEGER AS most FROM (SELECT customer_id, count(*) AS n FROM segment_history WHERE change = 'exited' GROUP BY 1)",
    );
    expect(perCustomer!.most).toBe(1);
    const stored = await ctx.store.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM segment_members');
    expect(stored!.n).toBe(2);
  });
});
