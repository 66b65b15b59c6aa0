import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../../src/config/settings.js';
import { registerAllFields } from '../../src/fields.js';
import { analyzeExperiment } from '../../src/measure/experiments/analyze.js';
import { checkSegmentHealth } from '../../src/measure/health/check.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { refreshSegments } from '../../src/segments/manage/refresh.js';
import { pickVariant, unitHash } from '../../src/workflows/engine/assign.js';
import { verifyWebhook } from '../../src/webhooks/signature.js';
import { pauseWorkflow, resumeWorkflow, updateWorkflow } from '../../src/workflows/manage/crud.js';
import { runDetail, workflowRuns } from '../../src/workflows/manage/runs.js';
import { webhookReceiver } from './helpers.js';
import { addPromoWorkflows, DAY, HOUR, MIN, workflowWorld } from './world.js';

type World = Awaited<ReturnType<typeof workflowWorld>>;

describe('long waits on a simulated clock', () => {
  let w: World;
  beforeAll(async () => {
    // Monday 3 March 2025, 08:00 UTC.
    w = await workflowWorld(new Date('2025-03-03T08:00:00Z'));
    await setSetting(w.store, 'workspace.timezone', 'Europe/Paris');
    await setSetting(w.store, 'email.frequency_cap', 'off');
    await createSegment(w.store, { name: 'vip', definition: { query: 'traits.plan = "vip"' } }, w.clock.now());
    await w.workflow(
      'vip-journey',
      `
trigger: { entered: vip }
steps:
  - id: hello
    email: { subject: "Welcome {{ traits.first_name }}", text: "You are in." }
  - wait: 2w
  - id: check
    branch:
      if: performed "Order Completed"
      then:
        - tag: repeat
      else:
        - wait: { until: "09:00", on: friday }
        - id: nudge
          email: { subject: "We miss you", text: "Come back." }
  - id: done
    set_trait: { journey_done: "{{ now }}" }
`,
    );
    await w.engine.tick(); // the history source starts after what is already recorded
  });
  afterAll(() => w.close());

  it('runs two weeks and a weekday wait in the workspace time zone without sleeping', async () => {
    const ann = await w.customer('ann', 'granted', { plan: 'vip' });
    const bob = await w.customer('bob', 'granted', { plan: 'vip' });
    await refreshSegments(w.store, { asOf: w.clock.now(), now: () => w.clock.now() });
    await w.engine.tick();
    expect(w.to('ann').map((m) => m.mail.subject)).toEqual(['Welcome ann']);
    expect(w.to('bob').map((m) => m.mail.subject)).toEqual(['Welcome bob']);

    await w.after(3 * DAY);
    await w.track('bob', 'Order Completed', { order_id: 'o1', total: 10 });
    await w.after(10 * DAY + 23 * HOUR);
    expect(w.smtp.received).toHaveLength(2); // 13 days 23 hours: still waiting
    await w.after(1 * HOUR); // Monday 17 March 08:00 UTC: the two weeks are up
    const runs = await workflowRuns(w.store, { workflow: 'vip-journey' });
    const annRun = runs.find((r) => r.customerId === ann)!;
    const bobRun = runs.find((r) => r.customerId === bob)!;
    expect(bobRun.status).toBe('completed');
    // Ann has not ordered: she waits for Friday 09:00 in Paris, which is 08:00 UTC (CET = UTC+1 in March).
    expect(annRun.state).toBe('waiting until 2025-03-21T08:00:00.000Z');
    await w.after(4 * DAY - 1);
    expect(w.to('ann')).toHaveLength(1);
    await w.after(1);
    expect(w.to('ann').map((m) => m.mail.subject)).toEqual(['Welcome ann', 'We miss you']);
    const detail = await runDetail(w.store, annRun.id);
    expect(detail.status).toBe('completed');
    expect(detail.log.map((l) => l.action)).toEqual(['entered', 'email sent', 'wait', 'waited', 'branch', 'wait', 'waited', 'email sent', 'set_trait', 'completed']);
    const traits = await w.store.one<{ t: string }>('SELECT traits::VARCHAR AS t FROM customers WHERE customer_id = $1', [ann]);
    expect(JSON.parse(traits!.t).journey_done).toBe('2025-03-21T08:00:00.000Z');
    expect(await w.store.one('SELECT tag FROM customer_tags WHERE customer_id = $1', [bob])).toEqual({ tag: 'repeat' });
    expect(w.errors).toEqual([]);
  });

  it('keeps runs on the version they started with, and stops and restarts with pause and resume', async () => {
    await w.workflow('versions', 'trigger: { event: Ping }\nsteps:\n  - wait: 1d\n  - email: { subject: "version one", text: "1" }\n');
    await w.customer('cat');
    await w.track('cat', 'Ping');
    await updateWorkflow(w.store, 'versions', { text: 'trigger: { event: Ping }\nsteps:\n  - wait: 1d\n  - email: { subject: "version two", text: "2" }\n' }, w.clock.now());
    await w.customer('dan');
    await w.track('dan', 'Ping');
    await pauseWorkflow(w.store, 'versions', w.clock.now());
    await w.after(2 * DAY);
    expect(w.to('cat')).toHaveLength(0); // paused: nothing moves
    await w.track('cat', 'Ping'); // nor starts
    await resumeWorkflow(w.store, 'versions', w.clock.now());
    await w.engine.tick();
    expect(w.to('cat').map((m) => m.mail.subject)).toEqual(['version one']);
    expect(w.to('dan').map((m) => m.mail.subject)).toEqual(['version two']);
    expect((await workflowRuns(w.store, { workflow: 'versions' })).map((r) => r.version).sort()).toEqual([1, 2]);
  });
});

describe('consent, frequency cap and quiet hours', () => {
  let w: World;
  beforeAll(async () => {
    w = await workflowWorld(new Date('2025-03-03T12:00:00Z'));
    await setSetting(w.store, 'email.quiet_hours', '21:00-08:00');
    await addPromoWorkflows(w);
    await w.workflow('receipt', 'trigger: { event: Paid }\nsteps:\n  - id: r\n    email: { subject: "Your receipt", text: "thanks", transactional: true }\n');
    await w.engine.tick();
  });
  afterAll(() => w.close());

  const skipped = async (customerId: string) =>
    (await w.store.all<{ step_id: string; reason: string }>("SELECT step_id, reason FROM workflow_sends WHERE customer_id = $1 AND status = 'skipped' ORDER BY step_id", [customerId])).map((r) => `${r.step_id}:${r.reason}`);

  it('sends one marketing email a day across workflows and records the other as capped', async () => {
    const id = await w.customer('eve');
    await w.track('eve', 'Promo');
    expect(w.to('eve')).toHaveLength(1);
    expect(await skipped(id)).toHaveLength(1);
    expect((await skipped(id))[0]).toMatch(/^[ab]:frequency_cap$/);
    await w.after(DAY + MIN);
    await w.track('eve', 'Promo');
    expect(w.to('eve')).toHaveLength(2); // a day later the cap has room for one more
  });

  it('sends nothing to a customer who denied or never gave email consent, except transactional email', async () => {
    const denied = await w.customer('fay', 'denied');
    const none = await w.customer('gus', 'none');
    await w.track('fay', 'Promo');
    await w.track('gus', 'Promo');
    await w.track('fay', 'Paid');
    expect(w.to('fay').map((m) => m.mail.subject)).toEqual(['Your receipt']);
    expect(w.to('gus')).toHaveLength(0);
    expect(await skipped(denied)).toEqual(['a:consent_denied', 'b:consent_denied']);
    expect(await skipped(none)).toEqual(['a:consent_missing', 'b:consent_missing']);
  });

  it('holds marketing email in quiet hours until they end', async () => {
    await w.customer('hal');
    w.clock.set(new Date('2025-03-05T22:30:00Z'));
    await w.track('hal', 'Promo');
    expect(w.to('hal')).toHaveLength(0);
    await w.after(9 * HOUR + 29 * MIN); // 07:59
    expect(w.to('hal')).toHaveLength(0);
    await w.after(MIN); // 08:00: quiet hours are over
    expect(w.to('hal')).toHaveLength(1);
  });

  it('sends nothing to an erased customer, and nothing more after an unsubscribe', async () => {
    const ivy = await w.customer('ivy');
    await w.workflow('later', 'trigger: { event: Later }\nsteps:\n  - wait: 2h\n  - id: l\n    email: { subject: "Later", text: "l" }\n');
    await w.track('ivy', 'Later');
    // Erasure removes the customer and what identifies them.
    await w.store.run('DELETE FROM identities WHERE customer_id = $1', [ivy]);
    await w.store.run('DELETE FROM customers WHERE customer_id = $1', [ivy]);
    await w.after(3 * HOUR);
    expect(w.to('ivy')).toHaveLength(0);
    expect(await skipped(ivy)).toEqual(['l:customer_missing']);
  });
});

describe('re-entry', () => {
  let w: World;
  beforeAll(async () => {
    w = await workflowWorld(new Date('2025-03-03T12:00:00Z'));
    await w.workflow('once', 'trigger: { event: Hi }\nreentry: once\nsteps:\n  - tag: hi\n');
    await w.workflow('period', 'trigger: { event: Hi }\nreentry: { once_per: 2d }\nsteps:\n  - tag: hey\n');
    await w.workflow('always', 'trigger: { event: Hi }\nsteps:\n  - wait: 1h\n');
    await w.engine.tick();
  });
  afterAll(() => w.close());

  it('applies once, once per period and every time, never two runs at once', async () => {
    const id = await w.customer('jo');
    const outcomes = async () =>
      (
        await w.store.all<{ name: string; outcome: string }>(
          'SELECT w.name, t.outcome FROM workflow_triggers t JOIN workflows w USING (workflow_id) WHERE t.customer_id = $1 ORDER BY t.triggered_at, w.name',
          [id],
        )
      ).map((r) => `${r.name}:${r.outcome}`);
    await w.track('jo', 'Hi');
    await w.after(MIN);
    await w.track('jo', 'Hi');
    await w.after(2 * DAY);
    await w.track('jo', 'Hi');
    expect(await outcomes()).toEqual([
      'always:started', 'once:started', 'period:started',
      'always:already_running', 'once:reentry_once', 'period:reentry_period',
      'always:started', 'once:reentry_once', 'period:started',
    ]);
  });
});

describe('webhooks, splits and holdouts', () => {
  let w: World;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  const secret = 'a-shared-secret-of-some-length';
  beforeAll(async () => {
    registerAllFields();
    hook = await webhookReceiver(secret);
    w = await workflowWorld(new Date('2025-03-03T12:00:00Z'));
    await setSetting(w.store, 'webhook.secret', secret);
    // A fixed id: the holdout and the split hash on it, and with a random one the 24 customers had no one
    // held out in about 1 run of 200 (0.8^24), which failed the test for nothing. With this id 4 of them are.
    await w.workflow(
      'experiment',
      `
trigger: { event: Joined }
holdout: 20%
steps:
  - id: ab
    split:
      variants:
        - { name: A, weight: 1, steps: [ { id: hook-a, webhook: "${hook.url}" } ] }
        - { name: B, weight: 3, steps: [ { id: hook-b, webhook: { url: "${hook.url}", headers: { x-variant: b } } } ] }
`,
      'wf-experiment',
    );
    await w.engine.tick();
  });
  afterAll(async () => {
    await w.close();
    await hook.close();
  });

  it('signs every webhook, retries with the same idempotency key, and records splits and the holdout', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) ids.push(await w.customer(`u${i}`));
    hook.failNext(2);
    for (let i = 0; i < 24; i++) await w.track(`u${i}`, 'Joined');
    const wf = await w.store.one<{ workflow_id: string }>("SELECT workflow_id FROM workflows WHERE name = 'experiment'");
    const holdout = ids.filter((c) => unitHash(wf!.workflow_id, '$entry', c) < 0.2);
    const treated = ids.filter((c) => !holdout.includes(c));
    expect(wf!.workflow_id).toBe('wf-experiment');
    expect(holdout.length).toBe(4);
    // The first delivery failed twice (503): retried 30 s and then 2 min later, with the same key.
    await w.after(30_000);
    await w.after(120_000);
    const delivered = hook.deliveries.filter((d) => d.signed);
    expect(delivered).toHaveLength(hook.deliveries.length);
    const keys = hook.deliveries.map((d) => d.idempotencyKey);
    expect(new Set(keys).size).toBe(treated.length);
    expect(hook.deliveries.length).toBe(treated.length + 2);
    const first = hook.deliveries[0]!;
    const attempts = new Map<string, number>();
    for (const k of keys) attempts.set(k!, (attempts.get(k!) ?? 0) + 1);
    expect([...attempts.values()].filter((n) => n === 2)).toHaveLength(2);
    // Every entrant has a recorded holdout decision; every treated one a split decision, as the hash says.
    const rows = await w.store.all<{ customer_id: string; step_id: string; variant: string }>('SELECT customer_id, step_id, variant FROM workflow_assignments');
    for (const c of ids) {
      const entry = rows.find((r) => r.customer_id === c && r.step_id === '$entry')!;
      expect(entry.variant).toBe(holdout.includes(c) ? 'holdout' : 'treatment');
      const split = rows.find((r) => r.customer_id === c && r.step_id === 'ab')!;
      expect(split.variant).toBe(pickVariant([{ name: 'A', weight: 1 }, { name: 'B', weight: 3 }], unitHash(wf!.workflow_id, 'ab', c)).name);
    }
    // The holdout gets no webhook; its skips say why.
    const skippedHoldout = await w.store.one<{ n: number }>("SELECT count(*) AS n FROM workflow_sends WHERE status = 'skipped' AND reason = 'holdout'");
    expect(skippedHoldout?.n).toBe(holdout.length);
    // The measurement capability compares the groups: the holdout and the split are experiments.
    const asOf = new Date(w.clock.now().getTime() + 8 * DAY);
    const a = await analyzeExperiment(w.store, 'workflow experiment holdout', { asOf, windowDays: 7, metrics: 'conversion' });
    expect(a.customers).toBe(ids.length);
    expect(a.metrics[0]!.groups.map((g) => [g.group, g.customers])).toEqual([
      ['holdout', holdout.length],
      ['treatment', treated.length],
    ]);
    const split = await analyzeExperiment(w.store, 'workflow experiment split ab', { asOf, windowDays: 7, metrics: 'conversion' });
    // Held-out runs go down the split too (they only get no messages), so the split counts everyone.
    expect(split.customers).toBe(ids.length);
    // A tampered body does not verify.
    expect(verifyWebhook(secret, { signature: 'v1=00', timestamp: '1' }, first.rawBody, 1)).toBe(false);
  });
});

describe('segments used by a running workflow', () => {
  let w: World;
  beforeAll(async () => {
    w = await workflowWorld(new Date('2025-01-06T08:00:00Z'));
    for (const [name, query] of [['vip', 'traits.plan = "vip"'], ['eu', 'traits.country in ("DE", "FR")'], ['unused', 'traits.plan = "trial"']] as const) {
      await createSegment(w.store, { name, definition: { query } }, w.clock.now());
    }
    await w.workflow('greet', 'trigger: { entered: vip }\nsteps:\n  - branch:\n      if: in segment "eu"\n      then: [ { tag: eu } ]\n      else: [ { tag: world } ]\n');
    await w.engine.tick();
  });
  afterAll(() => w.close());

  it('are recorded as used every day it is active, so segment health does not call them forgotten', async () => {
    // Three months on, with the engine running, but nobody entering: only the workflow uses vip and eu.
    await w.after(45 * DAY);
    await w.after(45 * DAY);
    const health = await checkSegmentHealth(w.store, { forgottenDays: 60 }, w.clock.now());
    const forgotten = (name: string) => health.segments.find((s) => s.segment === name)!.warnings.some((x) => x.code === 'forgotten');
    expect([forgotten('vip'), forgotten('eu'), forgotten('unused')]).toEqual([false, false, true]);
    const uses = await w.store.all<{ name: string; ref: string; used_at: Date }>(
      'SELECT s.name, u.ref, max(u.used_at) AS used_at FROM segment_usage u JOIN segments s USING (segment_id) WHERE u.used_by = $1 GROUP BY ALL ORDER BY 1',
      ['workflow'],
    );
    expect(uses).toEqual([
      { name: 'eu', ref: 'greet', used_at: w.clock.now() },
      { name: 'vip', ref: 'greet', used_at: w.clock.now() },
    ]);
  });
});
