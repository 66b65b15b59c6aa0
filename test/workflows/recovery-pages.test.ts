import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { WorkflowEngine } from '../../src/workflows/engine/engine.js';
import { workflowWorld } from './world.js';

/**
 * Catching up after a stop reads the missed events a page at a time. Every event of one request (or one
 * import) shares its received_at, so a page boundary falls inside such a group whenever it is larger than
 * a page: the next page must carry on after the last event read, not start again at its received_at
 * (which read the same page again, saw no progress and stopped, leaving the rest of the group unhandled).
 */
describe('workflow recovery after a stop', () => {
  let w: Awaited<ReturnType<typeof workflowWorld>>;
  const USERS = 7;
  beforeAll(async () => {
    w = await workflowWorld();
    for (let i = 0; i < USERS; i++) await w.customer(`r${i}`);
    await w.workflow('signup', 'trigger: { event: Signed Up }\nsteps:\n  - id: hello\n    email: { subject: "Hello", text: "hi" }\n');
    await w.engine.tick();
  });
  afterAll(() => w.close());

  it('acts on every missed event of one request larger than a page', async () => {
    await w.engine.stop();
    w.clock.advance(1_000);
    const at = w.clock.now();
    // One request: all seven share received_at; message ids sort in an order unrelated to the users.
    const batch = Array.from({ length: USERS }, (_, i) => ({
      messageId: `m-${(i * 5) % USERS}`,
      type: 'track',
      event: 'Signed Up',
      userId: `r${i}`,
      timestamp: at,
      receivedAt: at,
    })) as IncomingEvent[];
    await w.committer.submit(batch);
    w.clock.advance(1_000);
    const engine = new WorkflowEngine(w.store, { clock: w.clock, recoveryPage: 3, onError: (e) => w.errors.push(e) });
    try {
      const report = await engine.tick();
      expect(report.started).toBe(USERS);
      const runs = await w.store.one<{ n: number }>("SELECT count(DISTINCT customer_id)::INTEGER AS n FROM workflow_runs");
      expect(runs!.n).toBe(USERS);
      expect(w.errors).toEqual([]);
    } finally {
      await engine.stop();
    }
  });
});
