import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../../src/config/settings.js';
import { registerAllFields } from '../../src/fields.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { refreshSegments } from '../../src/segments/manage/refresh.js';
import { workflowWorld } from './world.js';

type World = Awaited<ReturnType<typeof workflowWorld>>;

const PEOPLE = 40;

/**
 * Ctrl-C on `segmint demo` or `segmint serve` stops the workflow engine. It used to wait for every due
 * email to go out first (minutes on a fresh demo shop); it now ends after the send under way, and the
 * next start sends the rest, each exactly once.
 */
describe('stopping the workflow engine with a backlog of emails', () => {
  let w: World;
  beforeAll(async () => {
    registerAllFields();
    w = await workflowWorld(new Date('2025-03-03T08:00:00Z'));
    await setSetting(w.store, 'email.frequency_cap', 'off');
    await createSegment(w.store, { name: 'vip', definition: { query: 'traits.plan = "vip"' } }, w.clock.now());
    await w.workflow('hello', 'trigger: { entered: vip }\nsteps:\n  - email: { subject: "Hello {{ traits.first_name }}", text: "Hi." }\n');
    await w.engine.tick(); // the history source starts after what is already recorded
    for (let i = 0; i < PEOPLE; i++) await w.customer(`p${i}`, 'granted', { plan: 'vip' });
    await refreshSegments(w.store, { asOf: w.clock.now(), now: () => w.clock.now() });
  });
  afterAll(() => w.close());

  it('ends after the send under way, leaves the rest due, and the next start sends each remaining email once', async () => {
    const working = w.engine.tick();
    while (w.smtp.received.length === 0) await new Promise((r) => setTimeout(r, 1));
    await w.engine.stop();
    await working;
    const atStop = w.smtp.received.length;
    expect(atStop).toBeGreaterThan(0);
    expect(atStop).toBeLessThan(PEOPLE);

    await w.engine.start();
    await w.engine.stop();
    const subjects = w.smtp.received.map((m) => m.mail.subject).sort();
    expect(subjects).toEqual(Array.from({ length: PEOPLE }, (_, i) => `Hello p${i}`).sort());
    expect(w.errors).toEqual([]);
  });
});
