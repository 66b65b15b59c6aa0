import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../../src/config/settings.js';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { workflowWorld } from './world.js';

/**
 * docs/workflows.md: at most one run per customer (and key) is under way. When a merge joins two customers
 * that each had a run of one workflow under way, the earliest entered carries on and the other ends
 * (`merged_duplicate`): the person gets the workflow's email once, not twice.
 */
describe('a merge of two customers with a run each of one workflow', () => {
  let w: Awaited<ReturnType<typeof workflowWorld>>;
  beforeAll(async () => {
    w = await workflowWorld();
    // With no cap, nothing but the rule stops the second email.
    await setSetting(w.store, 'email.frequency_cap', 'off');
    await w.workflow('welcome', 'trigger: { event: Signed Up }\nsteps:\n  - wait: 1h\n  - id: hello\n    email: { subject: "Welcome", text: "hi" }\n');
  });
  afterAll(() => w.close());

  const submit = async (e: Partial<IncomingEvent>): Promise<void> => {
    const at = w.clock.now();
    await w.committer.submit([{ messageId: randomUUID(), type: 'track', timestamp: at, receivedAt: at, ...e } as IncomingEvent]);
    await w.engine.idle();
  };

  it('keeps the earliest run, ends the other, and sends once', async () => {
    await w.customer('dup-a');
    await w.track('dup-a', 'Signed Up');
    w.clock.advance(60_000);
    await submit({ type: 'identify', anonymousId: 'dup-anon', traits: { email: 'dup-b@example.com', email_consent: 'granted' } });
    await submit({ anonymousId: 'dup-anon', event: 'Signed Up' });
    const before = await w.store.all<{ run_id: string; customer_id: string; entered_at: Date }>(
      "SELECT run_id, customer_id, entered_at FROM workflow_runs WHERE status = 'active' ORDER BY entered_at",
    );
    expect(new Set(before.map((r) => r.customer_id)).size).toBe(2);

    await submit({ type: 'identify', userId: 'dup-a', anonymousId: 'dup-anon' });
    const runs = await w.store.all<{ run_id: string; customer_id: string; status: string; end_reason: string | null }>(
      'SELECT run_id, customer_id, status, end_reason FROM workflow_runs ORDER BY entered_at',
    );
    expect(new Set(runs.map((r) => r.customer_id)).size).toBe(1);
    expect(runs.map((r) => r.status)).toEqual(['active', 'cancelled']);
    expect(runs[0]!.run_id).toBe(before[0]!.run_id);
    expect(runs[1]!.end_reason).toBe(`merged_duplicate: run ${before[0]!.run_id} is under way`);

    await w.after(3_600_000 + 1_000);
    expect([...w.to('dup-a'), ...w.to('dup-b')].map((m) => m.mail.subject)).toEqual(['Welcome']);
    expect(w.errors).toEqual([]);
  });
});
