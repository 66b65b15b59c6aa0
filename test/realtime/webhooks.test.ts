import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { verifyWebhook } from '../../src/webhooks/signature.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { basic } from '../server/helpers.js';
import { realtimeApp } from './helpers/app.js';

/**
 * Webhooks against a real HTTP receiver, with the clock driven by the test: signed POSTs, exponential
 * backoff, failure after the retry window (visible, with the last error), order per customer, and
 * removal. Retry timing is shortened (1 s doubling to at most 4 s, for 10 s) so the clock moves little.
 */

const T0 = Date.UTC(2024, 4, 1, 12);
const clock = new ManualClock(T0);
const ctx = realtimeApp({ active: 'performed "Ping" within 1h' }, { clock, webhooks: { baseDelayMs: 1000, maxDelayMs: 4000, giveUpAfterMs: 10_000 } });
let receiver: Server;
let url: string;
/** status codes to answer, per customer, in order; 204 once exhausted */
const script = new Map<string, number[]>();
const received: { at: number; headers: Record<string, string>; body: string; status: number }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const customer = (JSON.parse(body) as { customerId: string }).customerId;
      const status = script.get(customer)?.shift() ?? 204;
      received.push({ at: clock.now(), headers: req.headers as Record<string, string>, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(() => void receiver.close());

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await ctx.app.segmint.realtime!.idle();
    await new Promise((r) => setImmediate(r));
    await ctx.app.segmint.webhooks!.idle();
  }
}

async function ping(userId: string, at: number): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/track',
    headers: { authorization: basic(ctx.keys.write), 'content-type': 'application/json' },
    payload: { userId, event: 'Ping', timestamp: new Date(at).toISOString(), messageId: `${userId}-${at}` },
  });
  expect(res.statusCode).toBe(200);
  const c = await ctx.store.one<{ customer_id: string }>("SELECT customer_id FROM identities WHERE kind = 'user_id' AND value = $1", [userId]);
  return c!.customer_id;
}

/** A customer made by an identify call (which enters no segment), by user id. */
async function customer(userId: string): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: { authorization: basic(ctx.keys.write), 'content-type': 'application/json' },
    payload: { userId, traits: { name: userId }, messageId: `id-${userId}` },
  });
  expect(res.statusCode).toBe(200);
  const c = await ctx.store.one<{ customer_id: string }>("SELECT customer_id FROM identities WHERE kind = 'user_id' AND value = $1", [userId]);
  return c!.customer_id;
}

interface DeliveryOut {
  id: string;
  customerId: string;
  change: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  waitingFor: string | null;
}

async function deliveriesOf(customer: string): Promise<DeliveryOut[]> {
  const res = await ctx.app.inject({ method: 'GET', url: '/v1/webhooks/deliveries?limit=100', headers: { authorization: basic(ctx.keys.admin) } });
  expect(res.statusCode).toBe(200);
  return (res.json() as { deliveries: DeliveryOut[] }).deliveries.filter((d) => d.customerId === customer).reverse();
}

describe('webhooks', () => {
  let secret: string;
  let webhookId: string;

  it('are added over the API (admin scope), with a secret shown once', async () => {
    const refused = await ctx.app.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: basic(ctx.keys.write) }, payload: { segment: 'active', url } });
    expect(refused.statusCode).toBe(403);
    const bad = await ctx.app.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: basic(ctx.keys.admin) }, payload: { segment: 'active', url: 'ftp://x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/http:\/\/ or https:\/\//);
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: basic(ctx.keys.admin) }, payload: { segment: 'active', url } });
    expect(res.statusCode).toBe(201);
    ({ id: webhookId, secret } = res.json() as { id: string; secret: string });
    expect(secret).toMatch(/^whsec_/);
    const list = await ctx.app.inject({ method: 'GET', url: '/v1/webhooks', headers: { authorization: basic(ctx.keys.admin) } });
    expect((list.json() as { webhooks: { secret: string }[] }).webhooks[0]!.secret).toMatch(/…$/);
  });

  it('POST each entry and exit, signed over the timestamp and the body', async () => {
    const c = await ping('signed', T0);
    await settle();
    const [r] = received.filter((x) => x.body.includes(c));
    expect(r).toBeDefined();
    const body = JSON.parse(r!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'segment.entered', segment: { name: 'active' }, customerId: c, change: 'entered', at: new Date(T0).toISOString(), attempt: 1 });
    // Recomputed here from the documented recipe, independently of the sender.
    const expected = 'v1=' + createHmac('sha256', secret).update(`${r!.headers['segmint-timestamp']}.${r!.body}`).digest('hex');
    expect(r!.headers['segmint-signature']).toBe(expected);
    expect(r!.headers['segmint-timestamp']).toBe(String(Math.floor(T0 / 1000)));
    expect(r!.headers['idempotency-key']).toBe(body.id);
    expect(verifyWebhook(secret, { timestamp: r!.headers['segmint-timestamp'], signature: r!.headers['segmint-signature'] }, r!.body, T0 / 1000)).toBe(true);
    expect(verifyWebhook(secret, { timestamp: r!.headers['segmint-timestamp'], signature: r!.headers['segmint-signature'] }, r!.body + ' ', T0 / 1000)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: r!.headers['segmint-timestamp'], signature: r!.headers['segmint-signature'] }, r!.body, T0 / 1000 + 3600)).toBe(false);
    clock.set(T0 + 3_600_000);
    await settle();
    const exit = received.find((x) => x.body.includes(c) && x.body.includes('"exited"'));
    expect(JSON.parse(exit!.body)).toMatchObject({ change: 'exited', at: new Date(T0 + 3_600_000).toISOString() });
  });

  it('retry with exponential backoff, hold a customer\'s later changes back meanwhile, and fail visibly after the window', async () => {
    await createSegment(ctx.store, { name: 'brief', definition: { query: 'performed "Blip" within 2s' } });
    const hook = await ctx.app.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: basic(ctx.keys.admin) }, payload: { segment: 'brief', url } });
    expect(hook.statusCode).toBe(201);
    const start = clock.now();
    // Two customers; the receiver refuses everything about the first.
    const [a, b] = [await customer('slow'), await customer('fine')];
    script.set(a, Array.from({ length: 20 }, () => 500));
    for (const [user, id] of [['slow', a], ['fine', b]] as const) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/v1/track',
        headers: { authorization: basic(ctx.keys.write), 'content-type': 'application/json' },
        payload: { userId: user, event: 'Blip', timestamp: new Date(start).toISOString(), messageId: `blip-${id}` },
      });
      expect(res.statusCode).toBe(200);
    }
    let meanwhile: DeliveryOut[] = [];
    for (let t = start; t <= start + 12_000; t += 250) {
      clock.set(t);
      await settle();
      if (t === start + 4_000) meanwhile = await deliveriesOf(a);
    }
    // At 4 s a's exit (due at 2 s) is listed as waiting for its entry, not as due at a time already past.
    expect(meanwhile.map((d) => [d.change, d.status, d.waitingFor])).toEqual([
      ['entered', 'pending', null],
      ['exited', 'pending', meanwhile[0]?.id],
    ]);
    const sent = (id: string, change: string): number[] => received.filter((r) => r.body.includes(id) && r.body.includes(`"${change}"`)).map((r) => r.at - start);
    // Attempts at 0, +1 s, +2 s, +4 s: the next (after 4 s more, the cap) would fall past the 10 s window, so it failed.
    expect(sent(a, 'entered')).toEqual([0, 1000, 3000, 7000]);
    // a's exit (due at 2 s) waited for its entry to be given up; b's went out when it came due.
    expect(sent(a, 'exited')[0]).toBe(7000);
    expect(sent(b, 'entered')).toEqual([0]);
    expect(sent(b, 'exited')).toEqual([2000]);
    const mine = await deliveriesOf(a);
    expect(mine.map((d) => [d.change, d.status])).toEqual([
      ['entered', 'failed'],
      ['exited', 'failed'],
    ]);
    expect(mine[0]).toMatchObject({ attempts: 4, lastError: 'HTTP 500', nextAttemptAt: null });
    expect((await deliveriesOf(b)).map((d) => d.status)).toEqual(['delivered', 'delivered']);
  });

  it('go with their segment when it is deleted', async () => {
    await ctx.app.inject({ method: 'POST', url: '/v1/segments', headers: { authorization: basic(ctx.keys.admin) }, payload: { name: 'doomed', query: 'traits.plan = "x"' } });
    const hook = await ctx.app.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: basic(ctx.keys.admin) }, payload: { segment: 'doomed', url } });
    expect(hook.statusCode).toBe(201);
    const del = await ctx.app.inject({ method: 'DELETE', url: '/v1/segments/doomed', headers: { authorization: basic(ctx.keys.admin) } });
    expect(del.statusCode).toBe(204);
    const list = await ctx.app.inject({ method: 'GET', url: '/v1/webhooks', headers: { authorization: basic(ctx.keys.admin) } });
    expect((list.json() as { webhooks: { segment: string }[] }).webhooks.map((w) => w.segment)).not.toContain('doomed');
  });

  it('are removed with their pending deliveries', async () => {
    const res = await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${webhookId}`, headers: { authorization: basic(ctx.keys.admin) } });
    expect(res.statusCode).toBe(200);
    const again = await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${webhookId}`, headers: { authorization: basic(ctx.keys.admin) } });
    expect(again.statusCode).toBe(404);
    const before = received.length;
    await ping('after', clock.now());
    await settle();
    expect(received.length).toBe(before);
  });
});
