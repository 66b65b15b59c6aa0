import { describe, expect, it } from 'vitest';
import type { IngestOutcome } from '../../src/ingest/live/ingest.js';
import { ManualClock } from '../../src/realtime/index.js';
import { readWatermark } from '../../src/store/queries/realtime/record.js';
import { basic } from '../server/helpers.js';
import { realtimeApp } from './helpers/app.js';

/**
 * A live commit whose engine step fails after its reads (when the watermark's UPDATE is already running
 * in the background, src/realtime/engine/background.ts) keeps its events; the step is dropped and the
 * engine reloads. The watermark must stay where the last applied step left it: the reload's catch-up
 * then records the change that came due in between at its true instant. Had the dropped step's
 * watermark stayed, the catch-up would start after that instant and record the change when it ran.
 */
const T0 = Date.UTC(2024, 4, 1, 12);
const clock = new ManualClock(T0);
// A gap longer than the test: no step of the timer's own applies the exit before the failing commit.
const ctx = realtimeApp({ pinged: 'performed "Ping" within 60s' }, { clock, timerGapMs: 3_600_000 });

const ping = (user: string, at: number) => ({ type: 'track', userId: user, event: 'Ping', messageId: `${user}-${at}`, timestamp: new Date(at).toISOString() });

describe('a live commit whose engine step fails', () => {
  it('leaves the watermark where it was, so the catch-up records what came due at its instant', async () => {
    const engine = ctx.app.segmint.realtime!;
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic(ctx.keys.write) }, payload: { batch: [ping('a', T0)] } });
    expect(res.statusCode).toBe(200);
    await engine.idle();
    expect(await readWatermark(ctx.store)).toBe(T0);
    const a = (await ctx.store.one<{ customer_id: string }>("SELECT customer_id FROM identities WHERE kind = 'user_id' AND value = 'a'"))!.customer_id;

    // a's exit is due at T0 + 60 s. A commit 50 ms later takes it in its tick, reads, then fails in its
    // JavaScript (an event with no timestamp): the step is dropped after the watermark's UPDATE started.
    clock.set(T0 + 60_050);
    const broken: IngestOutcome = {
      stored: new Set(['m']),
      customers: new Set(),
      merged: new Map(),
      suppressed: new Set(),
      events: [{ event: { type: 'track', event: 'Ping' } as never, customerId: a }],
    };
    await ctx.store.transaction((tx) => engine.withinCommit(tx, broken));
    expect(await readWatermark(ctx.store)).toBe(T0);

    await engine.idle();
    const exits = await ctx.store.all<{ at: number; recorded: number }>(
      "SELECT epoch_ms(h.changed_at) AS at, epoch_ms(h.recorded_at) AS recorded FROM segment_history h JOIN segments s USING (segment_id) WHERE s.name = 'pinged' AND h.change = 'exited'",
    );
    expect(exits).toEqual([{ at: T0 + 60_000, recorded: T0 + 60_050 }]);
    expect(await readWatermark(ctx.store)).toBe(T0 + 60_050);
  });
});
