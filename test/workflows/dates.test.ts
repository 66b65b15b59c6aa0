import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../../src/config/settings.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { refreshSegments } from '../../src/segments/manage/refresh.js';
import { workflowRuns } from '../../src/workflows/manage/runs.js';
import { DAY, HOUR, MIN, workflowWorld } from './world.js';

/** Date triggers and schedules, read in the workspace time zone, on a simulated clock. */
describe('date and schedule triggers', () => {
  let w: Awaited<ReturnType<typeof workflowWorld>>;
  beforeAll(async () => {
    // Saturday 1 March 2025, 00:00 UTC (Friday 19:00 in New York).
    w = await workflowWorld(new Date('2025-03-01T00:00:00Z'));
    await setSetting(w.store, 'workspace.timezone', 'America/New_York');
    await setSetting(w.store, 'email.frequency_cap', 'off');
    await w.customer('bea', 'granted', { birthday: '1990-03-04' });
    await w.customer('cal', 'granted', { birthday: '1985-03-05' });
    await w.customer('leap', 'granted', { birthday: '1992-02-29' });
    await createSegment(w.store, { name: 'members', definition: { query: 'traits.email exists' } }, w.clock.now());
    await refreshSegments(w.store, { asOf: w.clock.now(), now: () => w.clock.now() });
    await w.workflow('birthday', 'trigger: { date: { trait: birthday, at: "09:00" } }\nsteps:\n  - email: { subject: "Happy birthday {{ traits.first_name }}", text: "🎂" }\n');
    await w.workflow('first-order', 'trigger: { date: { first: Order Completed, days: 3, at: "10:00" } }\nsteps:\n  - email: { subject: "How is it going?", text: "." }\n');
    await w.workflow('weekly', 'trigger: { schedule: { segment: members, every: monday, at: "08:30" } }\nsteps:\n  - email: { subject: "Weekly news", text: "." }\n');
    await w.engine.tick();
  });
  afterAll(() => w.close());

  // The weekly schedule (every Monday) fires in between; each test looks at its own emails.
  const subjects = (user: string) => w.to(user).map((m) => m.mail.subject).filter((s) => s !== 'Weekly news');
  const weekly = (user: string) => w.to(user).filter((m) => m.mail.subject === 'Weekly news').length;

  it('fires on the trait date at the time of day in the workspace zone, once a year', async () => {
    // 4 March 09:00 in New York (EST, UTC-5) is 14:00 UTC.
    w.clock.set(new Date('2025-03-04T13:59:00Z'));
    await w.engine.tick();
    expect(subjects('bea')).toEqual([]);
    await w.after(MIN);
    expect(subjects('bea')).toEqual(['Happy birthday bea']);
    expect(subjects('cal')).toEqual([]);
    await w.after(DAY);
    expect(subjects('cal')).toEqual(['Happy birthday cal']);
    expect(subjects('bea')).toEqual(['Happy birthday bea']);
  });

  it('celebrates 29 February on 28 February in other years, and catches up after a stop', async () => {
    // The server was down over 28 February 2026: the occurrence is acted on at the next look.
    w.clock.set(new Date('2026-03-01T12:00:00Z'));
    await w.engine.tick();
    expect(subjects('leap')).toEqual(['Happy birthday leap']);
    const runs = await workflowRuns(w.store, { workflow: 'birthday', customer: 'leap' });
    expect((runs[0]!.trigger as { date: string }).date).toBe('2026-02-28');
  });

  it('fires N days after the first event of a kind', async () => {
    // Dan's first order: 2 March 2026, 23:30 in New York (04:30 UTC on the 3rd).
    await w.customer('dan');
    await w.send({ userId: 'dan', event: 'Order Completed', properties: { order_id: 'd1', total: 5 }, timestamp: new Date('2026-03-03T04:30:00Z') });
    await w.send({ userId: 'dan', event: 'Order Completed', properties: { order_id: 'd2', total: 5 }, timestamp: new Date('2026-03-04T15:00:00Z') });
    // Three days after 2 March (local) is 5 March, at 10:00 EST = 15:00 UTC.
    w.clock.set(new Date('2026-03-05T14:59:00Z'));
    await w.engine.tick();
    expect(subjects('dan')).toEqual([]);
    await w.after(MIN);
    expect(subjects('dan')).toEqual(['How is it going?']);
    await w.after(2 * DAY);
    expect(subjects('dan')).toEqual(['How is it going?']);
  });

  it('runs a schedule for every member of the segment, once per firing', async () => {
    // Monday 9 March 2026, 08:30 in New York: EDT (UTC-4) since 8 March, so 12:30 UTC.
    const bea = weekly('bea');
    const cal = weekly('cal');
    w.clock.set(new Date('2026-03-09T12:29:00Z'));
    await w.engine.tick();
    expect(weekly('bea')).toBe(bea);
    await w.after(MIN);
    expect(weekly('bea')).toBe(bea + 1);
    expect(weekly('cal')).toBe(cal + 1);
    await w.after(HOUR);
    expect(weekly('bea')).toBe(bea + 1);
    await w.after(7 * DAY);
    expect(weekly('bea')).toBe(bea + 2);
  });
});
