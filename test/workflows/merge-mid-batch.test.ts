import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { setSetting } from '../../src/config/settings.js';
import { repointAbsorbed } from '../../src/store/queries/identity.js';
import { HOUR } from './world.js';
import { workflowWorld } from './world.js';

/**
 * Task fixA12, item 3: "goal and branch conditions inside one workflow batch may read an absorbed
 * customer's state for a moment after a merge". A batch reads its due runs (dueRuns), then evaluates
 * each run's goal and branches on its customer's state; a merge that commits in between (live
 * ingestion does not wait for the engine) moves the runs' rows to the survivor (repointAbsorbed), but
 * the batch's copies still carry the absorbed id, whose own state is a shell: its events and orders
 * went to the survivor. The interleaving is forced by committing a real merge right after the batch's
 * read of its runs; the conditions must read the survivor's state.
 */
describe('a merge committed between a batch reading its runs and evaluating them', () => {
  let w: Awaited<ReturnType<typeof workflowWorld>>;
  beforeAll(async () => {
    w = await workflowWorld();
    await w.workflow(
      'vip-check',
      `trigger: { event: Visit }
steps:
  - wait: 1h
  - id: check
    branch:
      if: performed "Big Order"
      then: [ { id: vip, tag: vip } ]
      else: [ { id: plain, tag: plain } ]
`,
    );
    await w.workflow('convert', 'trigger: { event: Visit }\ngoal: performed "Big Order"\nsteps:\n  - wait: 1h\n  - tag: not-converted\n');
    await w.engine.tick();
  });
  afterAll(() => w.close());

  it('evaluates the branch and the goal on the survivor\'s state', async () => {
    const at = w.clock.now();
    // An anonymous visitor starts both workflows; the same person, logged in, has a big order.
    await w.committer.submit([{ messageId: randomUUID(), type: 'track', event: 'Visit', anonymousId: 'anon-1', timestamp: at, receivedAt: at } as IncomingEvent]);
    await w.engine.idle();
    const absorbed = (await w.store.one<{ customer_id: string }>("SELECT customer_id FROM identities WHERE kind = 'anonymous_id' AND value = 'anon-1'"))!.customer_id;
    const survivor = await w.customer('known-1');
    w.clock.advance(60_000);
    await w.track('known-1', 'Big Order');
    expect((await w.store.all('SELECT run_id FROM workflow_runs WHERE customer_id = $1', [absorbed])).length).toBe(2);

    // The merge commits right after the batch has read its due runs (still carrying the absorbed id).
    const all = w.store.all.bind(w.store);
    let merged = false;
    w.store.all = (async (sql: string, params?: unknown[]) => {
      const rows = await all(sql as never, params as never);
      if (!merged && /FROM workflow_runs\s+WHERE status = 'active' AND wake_at <= \$1/.test(sql) && JSON.stringify(rows).includes(absorbed)) {
        merged = true;
        await w.store.transaction((tx) => repointAbsorbed(tx, new Map([[absorbed, survivor]]), w.clock.now()));
      }
      return rows;
    }) as typeof w.store.all;
    try {
      await w.after(HOUR);
    } finally {
      w.store.all = all;
    }
    expect(merged).toBe(true);
    const runs = await w.store.all<{ name: string; status: string; end_reason: string | null; customer_id: string }>(
      `SELECT w.name, r.status, r.end_reason, r.customer_id FROM workflow_runs r JOIN workflows w USING (workflow_id) ORDER BY w.name`,
    );
    // The goal was reached by the survivor (its big order, after the run's entry): converted, not tagged.
    expect(runs.map((r) => [r.name, r.status, r.customer_id])).toEqual([
      ['convert', 'converted', survivor],
      ['vip-check', 'completed', survivor],
    ]);
    // The branch read the survivor's events: the big order is there.
    const tags = await w.store.all<{ customer_id: string; tag: string }>('SELECT customer_id, tag FROM customer_tags ORDER BY tag');
    expect(tags).toEqual([{ customer_id: survivor, tag: 'vip' }]);
    expect(w.errors).toEqual([]);
  });

  it('counts the person\'s marketing emails for the frequency cap under the survivor (item 4)', async () => {
    await setSetting(w.store, 'email.frequency_cap', '1/1d');
    await w.workflow('warm', 'trigger: { event: Warm }\nsteps:\n  - id: warm-mail\n    email: { subject: "Warm", text: "w" }\n');
    await w.workflow('promo', 'trigger: { event: Promo }\nsteps:\n  - wait: 1h\n  - id: promo-mail\n    email: { subject: "Promo", text: "p" }\n');
    await w.engine.tick();
    const anon = (extra: Partial<IncomingEvent>): IncomingEvent => ({ messageId: randomUUID(), anonymousId: 'anon-2', timestamp: w.clock.now(), receivedAt: w.clock.now(), ...extra }) as IncomingEvent;
    await w.committer.submit([anon({ type: 'identify', traits: { email: 'anon-2@example.com', email_consent: 'granted' } })]);
    await w.committer.submit([anon({ type: 'track', event: 'Warm' })]);
    await w.engine.idle();
    await w.after(1_000);
    const absorbed = (await w.store.one<{ customer_id: string }>("SELECT customer_id FROM identities WHERE kind = 'anonymous_id' AND value = 'anon-2'"))!.customer_id;
    expect(await w.store.all("SELECT status FROM workflow_sends WHERE step_id = 'warm-mail' AND customer_id = $1", [absorbed])).toEqual([{ status: 'sent' }]);
    await w.committer.submit([anon({ type: 'track', event: 'Promo' })]);
    await w.engine.idle();
    const survivor = await w.customer('known-2');

    // The merge commits right after the batch has read the contacts of its email steps (the read itself,
    // or the transaction it is made in): the run still carries the absorbed id, and its one email today
    // moves to the survivor.
    const isContacts = (sql: string, params?: unknown[]): boolean => sql.includes('c.merged_into IS NULL') && JSON.stringify(params ?? []).includes(absorbed);
    const merge = (): Promise<void> => w.store.transaction((tx) => repointAbsorbed(tx, new Map([[absorbed, survivor]]), w.clock.now()));
    const all = w.store.all.bind(w.store);
    const transaction = w.store.transaction.bind(w.store);
    let merged = false;
    w.store.all = (async (sql: string, params?: unknown[]) => {
      const rows = await all(sql as never, params as never);
      if (!merged && isContacts(sql, params)) {
        merged = true;
        await merge();
      }
      return rows;
    }) as typeof w.store.all;
    w.store.transaction = (async (fn: (tx: Parameters<Parameters<typeof transaction>[0]>[0]) => Promise<unknown>) => {
      let sawContacts = false;
      const result = await transaction(async (tx) => {
        const txAll = tx.all.bind(tx);
        tx.all = (async (sql: string, params?: unknown[]) => ((sawContacts ||= isContacts(sql, params)), txAll(sql as never, params as never))) as typeof tx.all;
        try {
          return await fn(tx);
        } finally {
          tx.all = txAll;
        }
      });
      if (sawContacts && !merged) {
        merged = true;
        await merge();
      }
      return result;
    }) as typeof w.store.transaction;
    try {
      await w.after(HOUR);
    } finally {
      w.store.all = all;
      w.store.transaction = transaction;
    }
    expect(merged).toBe(true);
    const promo = await w.store.all<{ status: string; reason: string | null }>("SELECT status, reason FROM workflow_sends WHERE step_id = 'promo-mail'");
    expect(promo).toEqual([{ status: 'skipped', reason: 'frequency_cap' }]);
  });
});
