import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../../src/config/settings.js';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import type { Store } from '../../src/store/db.js';
import { OffsetClock } from '../../src/workflows/engine/clock.js';
import type { WorkflowEngine } from '../../src/workflows/engine/engine.js';
import { basic } from '../server/helpers.js';
import { tempStore } from '../helpers/store.js';
import { smtpCapture, unsubscribeLink } from './helpers.js';

const HOUR = 3_600_000;

/**
 * The abandoned-cart template end to end through the HTTP API: events in over /v1/track, the engine in
 * the server, a real SMTP server receiving and parsing what is sent, time moved by a shifted clock.
 */
describe('abandoned cart through the HTTP API', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let store: Store;
  let app: FastifyInstance;
  let engine: WorkflowEngine;
  let smtp: Awaited<ReturnType<typeof smtpCapture>>;
  let auth: string;
  const clock = new OffsetClock();

  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const res = await app.inject({ method, url, headers: { authorization: auth, 'content-type': 'application/json' }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
    return { status: res.statusCode, json: res.body ? (res.json() as Record<string, unknown> & unknown[]) : undefined, body: res.body };
  };
  const track = async (userId: string, event: string, properties: Record<string, unknown>) => {
    expect((await call('POST', '/v1/track', { userId, event, properties })).status).toBe(200);
    await engine.idle();
  };
  const shopper = async (userId: string) => {
    expect((await call('POST', '/v1/identify', { userId, traits: { email: `${userId}@example.com`, first_name: userId.toUpperCase(), email_consent: 'granted' } })).status).toBe(200);
  };
  const products = [
    { product_id: 'SKU-1', name: 'Linen Dress', price: 89.95, quantity: 1 },
    { product_id: 'SKU-2', name: 'Silk Scarf', price: 29.5, quantity: 2 },
  ];
  const runsOf = async (userId: string) => {
    const r = await call('GET', `/v1/workflows/cart/runs?customer=${userId}`);
    return r.json as unknown as { id: string; status: string; key: string; endReason: string }[];
  };

  beforeAll(async () => {
    t = await tempStore();
    store = t.store;
    smtp = await smtpCapture();
    await setSetting(store, 'smtp.url', smtp.url);
    await setSetting(store, 'email.from', 'Maison Test <shop@example.com>');
    await setSetting(store, 'server.public_url', 'http://shop.example.test');
    auth = basic((await createApiKey(store, ['admin'], 'test')).key);
    app = await buildApp({ store, workflows: { clock } });
    engine = app.workflows!;
    const created = await call('POST', '/v1/workflows', { name: 'cart', template: 'abandoned-cart', params: { discount: '10%' } });
    expect(created.status, created.body).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    t.cleanup();
  });

  it('checkout and no order: one reminder an hour later, with the cart, and a working unsubscribe link', async () => {
    await shopper('ann');
    await track('ann', 'Checkout Started', { checkout_id: 'c-ann', products, currency: 'EUR', value: 148.95 });
    await engine.tick();
    expect(smtp.received).toHaveLength(0);
    clock.advance(30 * 60_000);
    await engine.tick();
    expect(smtp.received).toHaveLength(0);
    clock.advance(31 * 60_000);
    await engine.tick();
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toBe('ann@example.com');
    expect(mail.mail.subject).toBe('ANN, you left something in your cart');
    expect(mail.mail.text).toContain('- Linen Dress');
    expect(mail.mail.text).toContain('- Silk Scarf x 2');
    expect(mail.mail.html).toContain('Silk Scarf × 2');
    expect(mail.mail.html).toContain('€29.50');
    expect(mail.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const runs = await runsOf('ann');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.key).toBe('c-ann');
    expect(mail.messageId).toBe(`<${runs[0]!.id}.reminder@segmint>`);

    // Follow the link as a person would: the page, then its form.
    const link = unsubscribeLink(mail);
    expect(link.startsWith('http://shop.example.test/v1/unsubscribe?token=')).toBe(true);
    const path = link.slice('http://shop.example.test'.length);
    const page = await app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post">');
    expect((await store.one<{ status: string }>("SELECT status FROM consent WHERE channel = 'email' AND customer_id = (SELECT customer_id FROM identities WHERE value = 'ann')"))?.status).toBe('granted');
    // The one-click POST a mail client sends for the List-Unsubscribe header (RFC 8058).
    const done = await app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('unsubscribed');
    expect((await store.one<{ status: string }>("SELECT status FROM consent WHERE channel = 'email' AND customer_id = (SELECT customer_id FROM identities WHERE value = 'ann')"))?.status).toBe('denied');
    // A forged token changes nothing.
    expect((await app.inject({ method: 'POST', url: `${path.slice(0, -3)}xyz` })).statusCode).toBe(400);

    // The second reminder (a day later) is not sent: Ann unsubscribed. The skip is recorded with its reason.
    clock.advance(25 * HOUR);
    await engine.tick();
    expect(smtp.received).toHaveLength(1);
    const detail = await call('GET', `/v1/workflow-runs/${runs[0]!.id}`);
    const sends = (detail.json as unknown as { sends: { step_id: string; status: string; reason: string | null }[] }).sends;
    expect(sends.map((s) => [s.step_id, s.status, s.reason]).sort()).toEqual([
      ['reminder', 'sent', null],
      ['second-reminder', 'skipped', 'consent_denied'],
    ]);
  });

  it('checkout and an order within the hour: no reminder, the run converts', async () => {
    await shopper('bob');
    const before = smtp.received.length;
    await track('bob', 'Checkout Started', { checkout_id: 'c-bob', products });
    clock.advance(20 * 60_000);
    await track('bob', 'Order Completed', { order_id: 'o-bob', checkout_id: 'c-bob', total: 100, revenue: 100, currency: 'EUR', products });
    clock.advance(2 * HOUR);
    await engine.tick();
    expect(smtp.received.length).toBe(before);
    const runs = await runsOf('bob');
    expect(runs.map((r) => r.status)).toEqual(['converted']);
  });

  it('two carts: two runs, one per checkout_id', async () => {
    await shopper('cat');
    await track('cat', 'Checkout Started', { checkout_id: 'c-cat-1', products });
    await track('cat', 'Checkout Started', { checkout_id: 'c-cat-2', products: products.slice(0, 1) });
    // The same cart again does not start a second run while the first is under way.
    await track('cat', 'Checkout Started', { checkout_id: 'c-cat-1', products });
    const runs = await runsOf('cat');
    expect(runs.map((r) => r.key).sort()).toEqual(['c-cat-1', 'c-cat-2']);
    clock.advance(61 * 60_000);
    await engine.tick();
    // Both reminders fall due; the frequency cap (one marketing email a day) lets the first through.
    const toCat = smtp.received.filter((m) => m.to === 'cat@example.com');
    expect(toCat).toHaveLength(1);
    const show = await call('GET', '/v1/workflows/cart');
    expect(show.json).toMatchObject({ name: 'cart', skipped: expect.arrayContaining([{ reason: 'frequency_cap', n: 1 }]) });
  });
});
