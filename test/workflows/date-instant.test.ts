import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../../src/config/settings.js';
import { OffsetClock } from '../../src/workflows/engine/clock.js';
import { dateLookDue, msToDateLook } from '../../src/workflows/engine/triggered.js';
import { workflowWorld } from './world.js';

/**
 * A date trigger's run enters within a second of its time of day, not at the engine's next once-a-minute
 * look (trial 11, L3). The day is the one New York moved its clocks forward (8 March 2026, 02:00 EST →
 * 03:00 EDT), so "09:00" that day is 13:00 UTC (UTC−4), not 14:00 as the day before.
 */
describe('the instant a date trigger fires', () => {
  let w: Awaited<ReturnType<typeof workflowWorld>>;
  beforeAll(async () => {
    w = await workflowWorld(new Date('2026-03-08T12:59:30Z'));
    await setSetting(w.store, 'workspace.timezone', 'America/New_York');
    await setSetting(w.store, 'email.frequency_cap', 'off');
    await w.customer('dee', 'granted', { visit: '2026-03-08' });
  });
  afterAll(() => w.close());

  it('sets no date wake while no workflow has a date or schedule trigger', async () => {
    await w.engine.tick();
    expect(msToDateLook(w.engine.catalog, -Infinity, new Date('2026-03-08T12:59:30.250Z'))).toBeUndefined();
  });

  it('enters the run at the first tick of its minute, and the timer wakes for that minute', async () => {
    await w.workflow('visit', 'trigger: { date: { trait: visit, yearly: false, at: "09:00" } }\nsteps:\n  - email: { subject: "Visit day", text: "." }\n');
    w.clock.set(new Date('2026-03-08T12:59:31Z'));
    await w.engine.tick();
    expect(w.to('dee')).toEqual([]);
    // The engine's timer is set for the whole minute to come (13:00:00 UTC), not only a poll away.
    const looked = new Date('2026-03-08T12:59:31Z').getTime();
    expect(msToDateLook(w.engine.catalog, looked, new Date('2026-03-08T12:59:59.250Z'))).toBe(750);
    // A tick that ran past the minute: the next look is at once.
    expect(msToDateLook(w.engine.catalog, looked, new Date('2026-03-08T13:00:00.100Z'))).toBe(0);
    w.clock.set(new Date('2026-03-08T12:59:59.999Z'));
    await w.engine.tick();
    expect(w.to('dee')).toEqual([]);
    w.clock.set(new Date('2026-03-08T13:00:00.400Z'));
    await w.engine.tick();
    expect(w.to('dee').map((m) => m.mail.subject)).toEqual(['Visit day']);
    const sent = await w.store.one<{ t: number }>("SELECT epoch_ms(s.created_at) AS t FROM workflow_sends s WHERE s.status = 'sent'");
    expect(new Date(sent!.t).toISOString()).toBe('2026-03-08T13:00:00.400Z');
  });

  it('looks once in each whole minute', () => {
    const at = (iso: string) => new Date(iso);
    expect(dateLookDue(-Infinity, at('2026-03-08T13:00:00.400Z'))).toBe(true);
    expect(dateLookDue(at('2026-03-08T13:00:00.400Z').getTime(), at('2026-03-08T13:00:59.999Z'))).toBe(false);
    expect(dateLookDue(at('2026-03-08T13:00:59.999Z').getTime(), at('2026-03-08T13:01:00.000Z'))).toBe(true);
    // A clock set back (a test's) looks again.
    expect(dateLookDue(at('2026-03-08T13:01:00.000Z').getTime(), at('2026-03-08T12:00:00.000Z'))).toBe(true);
  });
});

/**
 * The engine's own timer (not a test's tick) wakes for the minute a date fires: with a poll of a minute,
 * only that wake can enter the run before the poll would. The clock runs as usual, from 12:59:58.5 UTC.
 */
describe('the timer of a date trigger', () => {
  it('wakes at the whole minute the trigger fires, not a poll later', async () => {
    const clock = new OffsetClock();
    clock.advance(new Date('2026-03-08T12:59:58Z').getTime() - Date.now());
    const w = await workflowWorld(clock.now(), { clock, pollMs: 60_000 });
    try {
      await setSetting(w.store, 'workspace.timezone', 'America/New_York');
      await w.customer('dee', 'granted', { visit: '2026-03-08' });
      await w.workflow('visit', 'trigger: { date: { trait: visit, yearly: false, at: "09:00" } }\nsteps:\n  - email: { subject: "Visit day", text: "." }\n');
      // Set just before the start, so the first look (at the start) comes before 13:00 however long the set-up took.
      clock.advance(new Date('2026-03-08T12:59:58.500Z').getTime() - clock.now().getTime());
      await w.engine.start();
      expect(w.to('dee')).toEqual([]);
      // Waits for the email by looking, with no bound on the time it takes under load but the test's own.
      while (w.to('dee').length === 0) await new Promise((r) => setTimeout(r, 50));
      expect(w.to('dee').map((m) => m.mail.subject)).toEqual(['Visit day']);
    } finally {
      await w.close();
    }
  });
});
