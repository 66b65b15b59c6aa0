import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../../src/config/settings.js';
import { customerEventsBetween, customerEventsBetweenInOneScan, customerEventsBetweenMany, type EventsBetweenQuery } from '../../src/store/queries/workflows/customers.js';
import { loadCustomerStates } from '../../src/store/queries/segment-state.js';
import { runDetail, workflowRuns } from '../../src/workflows/manage/runs.js';
import { tempStore } from '../helpers/store.js';
import { expectLoadedState, loadWorld, worldArb } from '../segments/property/world.js';
import { addPromoWorkflows, HOUR, workflowWorld } from './world.js';

/*
 * The engine reads the store once per batch of due runs (src/workflows/engine/reads.ts) instead of once
 * per run. What each run sees must not change: the state as of its step's moment, and what its own
 * earlier steps (and the batch's earlier runs) decided exactly as when every run read on its own.
 */

type World = Awaited<ReturnType<typeof workflowWorld>>;

describe('a batch of runs reading the store at once sees what each run read on its own', () => {
  let w: World;
  beforeAll(async () => {
    w = await workflowWorld(new Date('2025-03-03T12:00:00Z'));
    await setSetting(w.store, 'email.frequency_cap', '2/1d');
    await addPromoWorkflows(w);
    await w.workflow('warm-up', 'trigger: { event: Warm }\nsteps:\n  - id: w\n    email: { subject: "Warm", text: "w" }\n');
    await w.workflow(
      'stage',
      `trigger: { event: Stage }
steps:
  - id: set
    set_trait: { stage: "two" }
  - id: now
    branch:
      if: traits.stage = "two"
      then: [ { id: seen-now, tag: seen-now } ]
      else: [ { id: unseen-now, tag: unseen-now } ]
  - wait: 1h
  - id: later
    branch:
      if: traits.stage = "two"
      then: [ { id: seen-later, tag: seen-later } ]
      else: [ { id: unseen-later, tag: unseen-later } ]
`,
    );
    await w.engine.tick();
  });
  afterAll(() => w.close());

  const sends = async (customerId: string) =>
    (await w.store.all<{ s: string }>("SELECT step_id || ':' || coalesce(reason, status) AS s FROM workflow_sends WHERE customer_id = $1 ORDER BY step_id", [customerId])).map((r) => r.s);

  it('counts the emails of earlier runs of the same batch, and those already stored, towards the frequency cap', async () => {
    const ann = await w.customer('ann');
    const bob = await w.customer('bob');
    // Ann had one marketing email today: of the two the next tick decides for her, only one fits the cap of 2.
    await w.track('ann', 'Warm');
    expect(w.to('ann')).toHaveLength(1);
    // Both customers' four runs start on the same commit and move in one batch.
    const at = w.clock.now();
    const asked: string[] = [];
    const restore = recordQueries(w.store, asked);
    try {
      await w.committer.submit([
        { messageId: 'p-ann', type: 'track', userId: 'ann', event: 'Promo', timestamp: at, receivedAt: at },
        { messageId: 'p-bob', type: 'track', userId: 'bob', event: 'Promo', timestamp: at, receivedAt: at },
      ]);
      await w.engine.idle();
    } finally {
      restore();
    }
    // The four email steps asked the store for the customers' recent marketing emails once, not four times.
    expect(asked.filter((sql) => sql.includes('count(*) AS n FROM workflow_sends')).length).toBe(1);
    const annSends = await sends(ann);
    expect(annSends.filter((s) => s.endsWith(':frequency_cap'))).toHaveLength(1);
    expect(annSends.filter((s) => s.endsWith(':sent'))).toHaveLength(2);
    expect(await sends(bob)).toEqual(['a:sent', 'b:sent']);
    expect(w.to('ann')).toHaveLength(2);
    expect(w.to('bob')).toHaveLength(2);
  });

  // What a batch decides is written when the batch commits, but a branch reads the traits its own run
  // (and earlier runs of the batch) set before it: the same pass sees the trait, as the pass after the
  // wait does. (Before, the branch right after the set_trait read the customer as stored, without it.)
  it('a trait set by a run reaches the branch right after it in the same pass, and a later pass', async () => {
    await w.customer('cy');
    await w.track('cy', 'Stage');
    const [run] = await workflowRuns(w.store, { workflow: 'stage' });
    await w.after(HOUR);
    const detail = await runDetail(w.store, run!.id);
    expect(detail.log.filter((l) => l.action === 'branch').map((l) => l.detail)).toEqual(['then: traits.stage = "two"', 'then: traits.stage = "two"']);
  });
});

describe('goals checked when a commit of events starts runs read the customers once for the batch', () => {
  let w: World;
  beforeAll(async () => {
    w = await workflowWorld(new Date('2025-03-03T12:00:00Z'));
    await w.workflow('nurture', 'trigger: { event: Joined }\ngoal: performed "Order Completed"\nsteps:\n  - wait: 1d\n  - tag: nurtured\n');
    await w.workflow('thanks', 'trigger: { event: Order Completed }\nsteps:\n  - tag: thanked\n');
    await w.engine.tick();
  });
  afterAll(() => w.close());

  it('one read of every table of the state for N customers, each goal decided as on its own', async () => {
    const N = 6;
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      ids.push(await w.customer(`n${i}`));
      await w.track(`n${i}`, 'Joined');
    }
    // One commit: customers 0, 2, 4 order (their goal holds: ordered since entering, and `thanks` starts),
    // 1, 3, 5 only view a page (the goal does not hold: their runs wait on).
    const at = w.clock.now();
    const asked: string[] = [];
    const restore = recordQueries(w.store, asked);
    try {
      await w.committer.submit(
        ids.map((_, i) => ({ messageId: `g-${i}`, type: 'track' as const, userId: `n${i}`, event: i % 2 === 0 ? 'Order Completed' : 'Page Viewed', timestamp: at, receivedAt: at })),
      );
      await w.engine.idle();
    } finally {
      restore();
    }
    // The consent and the events of the six customers are each read once (one per customer before).
    expect(asked.filter((sql) => sql.includes('FROM consent WHERE customer_id IN')).length).toBe(1);
    expect(asked.filter((sql) => sql.includes('FROM events WHERE customer_id IN')).length).toBe(1);
    const status = async (workflow: string) => new Map((await workflowRuns(w.store, { workflow })).map((r) => [r.customerId, r.status]));
    const nurture = await status('nurture');
    expect(ids.map((id) => nurture.get(id))).toEqual(['converted', 'active', 'converted', 'active', 'converted', 'active']);
    const thanks = await status('thanks');
    expect(ids.map((id) => thanks.get(id))).toEqual(['completed', undefined, 'completed', undefined, 'completed', undefined]);
    expect(w.errors).toEqual([]);
  });
});

describe('the batch reads against one read per customer or per question', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(() => t.cleanup());

  it('loadCustomerStates reads back every customer of a generated world as it was put in, none mixed with another', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        await loadWorld(t.store, world);
        // Every customer at once, one of them twice, and one the store does not hold.
        const states = await loadCustomerStates(t.store, [...world.map((c) => c.id), world[0]!.id, 'nobody']);
        expect(states.get('nobody')).toEqual({ customerId: 'nobody', traits: {}, rows: {}, consent: {}, events: [] });
        for (const c of world) {
          const loaded = states.get(c.id)!;
          expect(loaded.customerId).toBe(c.id);
          expectLoadedState(loaded, c);
          const times = loaded.events.map((e) => e.timestamp.getTime());
          expect(times).toEqual([...times].sort((a, b) => a - b));
        }
      }),
      { numRuns: 15 },
    );
  });

  const T0 = Date.UTC(2025, 2, 3);
  const keyValue = fc.constantFrom<unknown>('x', 'y', '', 1, 1.5, '1', true, 'true', null, { k: 'x' }, [1]);
  const eventArb = fc.record({
    customer: fc.constantFrom('c1', 'c2', 'c3'),
    event: fc.constantFrom('Order', 'Cart'),
    at: fc.integer({ min: 0, max: 6 }).chain((h) => fc.constantFrom(T0 + h * HOUR, T0 + h * HOUR + 1, T0 + h * HOUR - 1)),
    properties: fc.option(fc.record({ k: keyValue, n: fc.record({ k: keyValue }) }, { requiredKeys: [] }), { nil: null }),
  });
  const queryArb: fc.Arbitrary<EventsBetweenQuery> = fc
    .record({
      customerId: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
      event: fc.constantFrom('Order', 'Cart'),
      from: fc.integer({ min: 0, max: 6 }).map((h) => new Date(T0 + h * HOUR)),
      to: fc.integer({ min: 0, max: 7 }).map((h) => new Date(T0 + h * HOUR)),
      keyed: fc.option(fc.record({ keyPath: fc.constantFrom('k', 'n.k'), key: fc.constantFrom('x', 'y', '1', '1.5', 'true') }), { nil: undefined }),
    })
    .map(({ keyed, ...q }) => ({ ...q, ...(keyed ?? {}) }));

  it('customerEventsBetweenMany answers each question as customerEventsBetween does, on either plan', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { maxLength: 30 }), fc.array(queryArb, { minLength: 1, maxLength: 12 }), async (events, queries) => {
        await t.store.run('DELETE FROM events');
        for (const [i, e] of events.entries()) {
          await t.store.run(
            "INSERT INTO events (message_id, type, event, customer_id, timestamp, received_at, properties, source) VALUES ($1, 'track', $2, $3, $4, $4, $5, 'test')",
            [`m${(i * 7919) % 101}-${i}`, e.event, e.customer, new Date(e.at), e.properties === null ? null : JSON.stringify(e.properties)],
          );
        }
        const one: unknown[] = [];
        for (const q of queries) one.push(await customerEventsBetween(t.store, q));
        expect(await customerEventsBetweenMany(t.store, queries, 'scan')).toEqual(one);
        expect(await customerEventsBetweenMany(t.store, queries, 'index')).toEqual(one);
        // A table this small is scanned: the engine's prefetch of a batch's waits answers them all.
        expect(await customerEventsBetweenInOneScan(t.store, queries)).toEqual(one);
      }),
      { numRuns: 40 },
    );
  });
});

/**
 * Records the SQL of every read (`all`) on the store, also inside transactions (the batch reads states,
 * contacts and counts in one with the survivors of merged customers, reads.ts). Returns the undo.
 */
function recordQueries(store: World['store'], asked: string[]): () => void {
  const all = store.all.bind(store);
  store.all = ((sql: string, params?: Parameters<typeof all>[1]) => (asked.push(sql), all(sql, params))) as typeof all;
  const transaction = store.transaction.bind(store);
  store.transaction = ((fn: Parameters<typeof transaction>[0]) =>
    transaction(async (tx) => {
      const txAll = tx.all.bind(tx);
      tx.all = ((sql: string, params?: Parameters<typeof txAll>[1]) => (asked.push(sql), txAll(sql, params))) as typeof txAll;
      try {
        return await fn(tx);
      } finally {
        tx.all = txAll;
      }
    })) as typeof transaction;
  return () => {
    store.all = all;
    store.transaction = transaction;
  };
}
