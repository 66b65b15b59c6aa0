import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { requestErasure, runRegulation } from '../../src/privacy/regulations.js';
import { contactsOf } from '../../src/store/queries/workflows/customers.js';
import { unsubscribe } from '../../src/workflows/manage/unsubscribe.js';
import { unsubscribeLink } from './helpers.js';
import { workflowWorld } from './world.js';

/*
 * An unsubscribe link outlives the customer id it was made for: the person may log in (their anonymous
 * customer is merged into their account) or be erased before they click it (trial 10, H0 and P1).
 */

type World = Awaited<ReturnType<typeof workflowWorld>>;

describe('an unsubscribe link clicked after a merge or an erasure', () => {
  let w: World;
  const event = (e: Partial<IncomingEvent>) =>
    w.committer.submit([{ messageId: `m-${Math.random().toString(36).slice(2)}`, type: 'track', timestamp: w.clock.now(), receivedAt: w.clock.now(), ...e } as IncomingEvent]).then(() => w.engine.idle());
  const idOf = async (kind: string, value: string) => (await w.store.one<{ customer_id: string }>('SELECT customer_id FROM identities WHERE kind = $1 AND value = $2', [kind, value]))?.customer_id;
  /** the token of the one email sent to `email` */
  const tokenTo = (email: string) => new URL(unsubscribeLink(w.smtp.received.find((m) => m.to === email)!)).searchParams.get('token')!;

  beforeAll(async () => {
    w = await workflowWorld(new Date('2025-03-03T12:00:00Z'));
    await w.workflow('hello', 'trigger: { event: Hello }\nsteps:\n  - id: mail\n    email: { subject: "Hi", text: "hello" }\n');
    await w.engine.tick();
  });
  afterAll(() => w.close());

  it('records the opt-out for the customer the anonymous one was merged into, where sends read consent', async () => {
    await event({ type: 'identify', anonymousId: 'anon-una', traits: { email: 'una@example.com', email_consent: 'granted' } });
    await event({ anonymousId: 'anon-una', event: 'Hello' });
    const token = tokenTo('una@example.com');
    const anonymous = (await idOf('anonymous_id', 'anon-una'))!;
    // She signs up, then logs in on the same browser: one of the two customers is merged into the other.
    await event({ type: 'identify', userId: 'una', traits: { email: 'una.main@example.com' } });
    await event({ type: 'identify', userId: 'una', anonymousId: 'anon-una' });
    const survivor = (await idOf('user_id', 'una'))!;
    expect(await idOf('anonymous_id', 'anon-una')).toBe(survivor);
    expect((await contactsOf(w.store, [survivor])).get(survivor)?.email_consent).toBe('granted');

    const done = await unsubscribe(w.store, token, w.clock.now());
    // The decision in force for the person (what every later send checks) is the opt-out.
    expect((await contactsOf(w.store, [survivor])).get(survivor)?.email_consent).toBe('denied');
    expect(anonymous).not.toBe(survivor); // the link was made for the customer merged away
    expect(await w.store.all('SELECT * FROM consent WHERE customer_id = $1 AND status = $2', [anonymous, 'denied'])).toEqual([]);
    expect(done).toEqual({ customerId: survivor });
  });

  it('writes nothing back about an erased person, and still answers', async () => {
    await w.customer('vic');
    await w.track('vic', 'Hello');
    const token = tokenTo('vic@example.com');
    const vic = (await idOf('user_id', 'vic'))!;
    const run = (await w.store.one<{ run_id: string }>('SELECT run_id FROM workflow_runs WHERE customer_id = $1', [vic]))!.run_id;
    const id = await requestErasure(w.store, { identifiers: ['vic'], actor: 'test' }, w.clock.now());
    await runRegulation(w.store, id, () => w.clock.now(), (fn) => w.engine.serial(fn));
    const traces = async () =>
      (
        await w.store.all<{ n: number }>(
          `SELECT (SELECT count(*) FROM consent WHERE customer_id = $1) + (SELECT count(*) FROM consent_history WHERE customer_id = $1)
             + (SELECT count(*) FROM trait_times WHERE customer_id = $1) + (SELECT count(*) FROM workflow_run_log WHERE run_id = $2) AS n`,
          [vic, run],
        )
      )[0]!.n;
    expect(await traces()).toBe(0);
    const done = await unsubscribe(w.store, token, w.clock.now());
    expect(await traces()).toBe(0);
    expect(done).toEqual({ customerId: undefined });
  });
});
