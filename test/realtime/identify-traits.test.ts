import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { basic } from '../server/helpers.js';
import { realtimeApp } from './helpers/app.js';

/**
 * A commit's identify traits reach the engine with the commit's outcome (what ingestion wrote), not by
 * reading the rows again; a consent decision in the same commit changes the `<channel>_consent` trait
 * after them, so then the row is read. Either way membership is what the stored traits say.
 */

const T0 = Date.UTC(2024, 4, 1, 12);
const clock = new ManualClock(T0);
const ctx = realtimeApp({ plan_c: 'traits.plan = "c"', mailable: 'traits.email_consent = "granted"' }, { clock });

let n = 0;
async function identify(traits: Record<string, unknown>, consent?: Record<string, boolean>): Promise<void> {
  clock.advance(1000);
  const event = {
    type: 'identify',
    userId: 'u1',
    messageId: `m${n++}`,
    timestamp: new Date(clock.now()).toISOString(),
    traits,
    ...(consent ? { context: { consent: { categoryPreferences: consent } } } : {}),
  };
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic(ctx.keys.write) }, payload: { batch: [event] } });
  expect(res.statusCode).toBe(200);
}

const members = (): [number, number] => [ctx.app.segmint.realtime!.members('plan_c')!.size, ctx.app.segmint.realtime!.members('mailable')!.size];

async function storedTraits(): Promise<Record<string, unknown>> {
  const r = await ctx.store.one<{ traits: string }>(
    "SELECT c.traits::VARCHAR AS traits FROM customers c JOIN identities i USING (customer_id) WHERE i.kind = 'user_id' AND i.value = 'u1'",
  );
  return JSON.parse(r!.traits) as Record<string, unknown>;
}

describe('identify traits of a live commit', () => {
  it('come from the outcome, and from the row when a consent decision of the commit changed it after', async () => {
    await identify({ plan: 'a' }); // a customer new to the engine: read whole
    await identify({ plan: 'c' }); // known: the traits come with the commit
    expect(members()).toEqual([1, 0]);
    // a trait and a consent decision in one commit: the decision's trait is written after the traits
    await identify({ plan: 'b' }, { email: true });
    expect((await storedTraits()).email_consent).toBe('granted');
    expect(members()).toEqual([0, 1]);
    // traits only: the text that comes with the commit holds email_consent too
    await identify({ plan: 'c' });
    expect(members()).toEqual([1, 1]);
    await identify({ plan: 'c' }, { email: false });
    expect(members()).toEqual([1, 0]);
    expect(await storedTraits()).toMatchObject({ plan: 'c', email_consent: 'denied' });
  });
});
