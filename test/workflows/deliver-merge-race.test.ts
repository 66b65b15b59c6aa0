import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../../src/config/settings.js';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { repointAbsorbed } from '../../src/store/queries/identity.js';
import { webhookReceiver } from './helpers.js';
import { workflowWorld } from './world.js';

/**
 * A merge that commits while a send is being delivered, between the delivery's look at who holds the
 * person and its read of their contact (live ingestion does not wait for the engine): the send still goes
 * to the survivor (trial 10 M2, seen again 1 time in 13 by recheck 10). The interleaving is forced by
 * running a real merge (repointAbsorbed, in its own transaction) just before the delivery's contact read.
 */
describe('a merge committed in the middle of a delivery', () => {
  const secret = 'a-shared-secret-of-some-length';
  let w: Awaited<ReturnType<typeof workflowWorld>>;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeAll(async () => {
    w = await workflowWorld();
    hooks = await webhookReceiver(secret);
    await setSetting(w.store, 'webhook.secret', secret);
    await w.workflow('ping', `trigger: { event: Ping }\nsteps:\n  - id: hook\n    webhook: { url: "${hooks.url}" }\n`);
  });
  afterAll(async () => {
    await w.close();
    await hooks.close();
  });

  it('delivers to the survivor', async () => {
    const survivor = await w.customer('race-user');
    const at = w.clock.now();
    await w.committer.submit([{ messageId: randomUUID(), type: 'identify', anonymousId: 'race-anon', traits: { email: 'anon@example.com' }, timestamp: at, receivedAt: at } as IncomingEvent]);
    const absorbed = (await w.store.one<{ customer_id: string }>("SELECT customer_id FROM identities WHERE kind = 'anonymous_id' AND value = 'race-anon'"))!.customer_id;
    expect(absorbed).not.toBe(survivor);

    const all = w.store.all.bind(w.store);
    let merged = false;
    w.store.all = (async (sql: string, params?: unknown[]) => {
      if (!merged && sql.includes('c.merged_into IS NULL') && JSON.stringify(params ?? []).includes(absorbed)) {
        merged = true;
        await w.store.transaction((tx) => repointAbsorbed(tx, new Map([[absorbed, survivor]]), w.clock.now()));
      }
      return all(sql as never, params as never);
    }) as typeof w.store.all;
    try {
      await w.committer.submit([{ messageId: randomUUID(), type: 'track', event: 'Ping', anonymousId: 'race-anon', timestamp: at, receivedAt: at } as IncomingEvent]);
      await w.engine.idle();
      await w.after(1_000);
    } finally {
      w.store.all = all;
    }
    expect(merged).toBe(true);
    const sends = await w.store.all<{ status: string; last_error: string | null }>("SELECT status, last_error FROM workflow_sends WHERE step_id = 'hook'");
    expect(sends).toEqual([{ status: 'sent', last_error: null }]);
    expect(hooks.deliveries).toHaveLength(1);
    expect((hooks.deliveries[0]!.body as { customer: { id: string } }).customer.id).toBe(survivor);
  });
});
