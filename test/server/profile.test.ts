import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, testServer, type TestServer } from './helpers.js';

describe('live events update customer profiles', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await testServer();
  });
  afterEach(async () => {
    await s.cleanup();
  });
  const holder = async (kind: string, value: string) =>
    (await s.store.one<{ c: string }>('SELECT customer_id c FROM identities WHERE kind = $1 AND value = $2', [kind, value]))?.c;

  it('corrects the client clock: timestamp = receivedAt − (sentAt − originalTimestamp)', async () => {
    // The device clock runs 1 hour fast: it says it sent at 13:00 an event of 12:59.
    const before = Date.now();
    const r = await s.post('/v1/batch', {
      sentAt: '2030-01-01T13:00:00.000Z',
      batch: [
        { type: 'track', event: 'Skewed', userId: 'u', messageId: 'a', timestamp: '2030-01-01T12:59:00.000Z' },
        { type: 'track', event: 'Original', userId: 'u', messageId: 'b', originalTimestamp: '2030-01-01T12:58:00.000Z' },
        { type: 'track', event: 'NoTime', userId: 'u', messageId: 'c' },
      ],
    });
    const after = Date.now();
    expect(r.status).toBe(200);
    await s.post('/v1/track', { event: 'Historical', userId: 'u', messageId: 'd', timestamp: '2020-02-02T10:00:00Z' });
    const rows = await s.store.all<{ message_id: string; timestamp: Date; received_at: Date }>(
      'SELECT message_id, timestamp, received_at FROM events ORDER BY message_id',
    );
    const [a, b, c, d] = rows;
    expect(a!.received_at.getTime()).toBeGreaterThanOrEqual(before);
    expect(a!.received_at.getTime()).toBeLessThanOrEqual(after);
    expect(a!.received_at.getTime() - a!.timestamp.getTime()).toBe(60_000);
    expect(b!.received_at.getTime() - b!.timestamp.getTime()).toBe(120_000);
    expect(c!.timestamp.getTime()).toBe(c!.received_at.getTime());
    expect(d!.timestamp.toISOString()).toBe('2020-02-02T10:00:00.000Z');
  });

  it('merges the anonymous visitor into the user on alias, and moves the events', async () => {
    await s.post('/v1/page', { anonymousId: 'cookie-1', name: 'Home', timestamp: '2024-01-01T10:00:00Z' });
    await s.post('/v1/identify', { userId: 'ann', traits: { name: 'Ann' }, timestamp: '2024-01-01T10:05:00Z' });
    const anon = await holder('anonymous_id', 'cookie-1');
    const user = await holder('user_id', 'ann');
    expect(anon).not.toBe(user);
    const r = await s.post('/v1/alias', { userId: 'ann', previousId: 'cookie-1', messageId: 'alias-1', timestamp: '2024-01-01T10:06:00Z' });
    expect(r.status).toBe(200);
    expect(await holder('anonymous_id', 'cookie-1')).toBe(user);
    expect(await count(s.store, 'SELECT count(DISTINCT customer_id) n FROM events')).toBe(1);
    const m = await s.store.all('SELECT survivor_id, absorbed_id, reason, refused, message_id FROM merges');
    expect(m).toEqual([{ survivor_id: user, absorbed_id: anon, reason: 'alias', refused: false, message_id: 'alias-1' }]);
  });

  it('refuses to merge two user ids, records the refusal, and keeps both customers', async () => {
    await s.post('/v1/identify', { userId: 'ann', traits: { email: 'shared@x.io' } });
    await s.post('/v1/identify', { userId: 'bob' });
    const ann = await holder('user_id', 'ann');
    const bob = await holder('user_id', 'bob');
    // A shared family computer: bob logs in with the email ann registered.
    const r1 = await s.post('/v1/track', { userId: 'bob', event: 'E', context: { traits: { email: 'shared@x.io' } }, messageId: 'shared' });
    // An alias between two known users.
    const r2 = await s.post('/v1/alias', { userId: 'bob', previousId: 'ann', messageId: 'alias-users' });
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(await holder('email', 'shared@x.io')).toBe(ann);
    expect(await count(s.store, 'SELECT count(*) n FROM customers WHERE merged_into IS NULL')).toBe(2);
    const refused = await s.store.all('SELECT survivor_id, absorbed_id, refused, message_id FROM merges ORDER BY message_id');
    expect(refused).toEqual([
      { survivor_id: bob, absorbed_id: ann, refused: true, message_id: 'alias-users' },
      { survivor_id: bob, absorbed_id: ann, refused: true, message_id: 'shared' },
    ]);
    // The events still belong to the user who sent them.
    const ev = await s.store.one<{ customer_id: string }>("SELECT customer_id FROM events WHERE message_id = 'shared'");
    expect(ev?.customer_id).toBe(bob);
  });

  it('joins customers through email traits and external ids', async () => {
    await s.post('/v1/identify', { anonymousId: 'a1', traits: { email: ' Ann@Example.com ' } });
    await s.post('/v1/track', { anonymousId: 'a2', event: 'E', context: { externalIds: [{ id: 'shop-77', type: 'shopify_customer_id', collection: 'users', encoding: 'none' }] } });
    await s.post('/v1/identify', { userId: 'ann', traits: { email: 'ann@example.com' }, context: { externalIds: [{ id: 'shop-77', type: 'shopify_customer_id' }] } });
    const ann = await holder('user_id', 'ann');
    expect(await holder('anonymous_id', 'a1')).toBe(ann);
    expect(await holder('anonymous_id', 'a2')).toBe(ann);
    expect(await holder('external:shopify_customer_id', 'shop-77')).toBe(ann);
    expect(await count(s.store, 'SELECT count(*) n FROM customers WHERE merged_into IS NULL')).toBe(1);
  });

  it('turns Order Completed and Order Refunded into orders and updates the metrics', async () => {
    const order = (id: string, at: string, products: unknown[]) => ({
      userId: 'ann',
      event: 'Order Completed',
      timestamp: at,
      properties: { order_id: id, currency: 'eur', products },
    });
    await s.post('/v1/track', order('o1', '2024-01-01T10:00:00Z', [{ product_id: 'p1', price: 10, quantity: 2, category: 'Shoes' }, { product_id: 'p2', price: 5.5, category: 'Socks' }]));
    await s.post('/v1/track', order('o2', '2024-01-11T10:00:00Z', [{ sku: 'p3', price: '30', quantity: 1, category: 'Shoes' }]));
    // The same order again under another messageId counts once.
    await s.post('/v1/track', order('o2', '2024-01-11T10:00:00Z', [{ sku: 'p3', price: 30, quantity: 1 }]));
    await s.post('/v1/track', { userId: 'ann', event: 'Order Completed', timestamp: '2024-01-21T10:00:00Z', properties: { order_id: 'o3', revenue: 12.25 } });
    await s.post('/v1/track', { userId: 'ann', event: 'Order Refunded', messageId: 'ref-1', timestamp: '2024-01-22T10:00:00Z', properties: { order_id: 'o2', total: 30 } });
    const ann = await holder('user_id', 'ann');
    const m = await s.store.one('SELECT orders_count, gross_revenue, refunded, total_spent, avg_order_value, first_order_at, last_order_at, avg_days_between_orders, distinct_products, top_category FROM customer_metrics WHERE customer_id = $1', [ann!]);
    expect(m).toEqual({
      orders_count: 3,
      gross_revenue: 67.75,
      refunded: 30,
      total_spent: 37.75,
      avg_order_value: 22.58,
      first_order_at: new Date('2024-01-01T10:00:00Z'),
      last_order_at: new Date('2024-01-21T10:00:00Z'),
      avg_days_between_orders: 10,
      distinct_products: 3,
      top_category: 'Shoes',
    });
    const refund = await s.store.one('SELECT order_id, kind, revenue, currency FROM orders WHERE kind = $1', ['refund']);
    expect(refund).toEqual({ order_id: 'o2:refund:ref-1', kind: 'refund', revenue: -30, currency: null });
    const lines = await s.store.one<{ n: number; amount: number }>("SELECT count(*) n, sum(amount) amount FROM order_lines WHERE order_id = 'o1'");
    expect(lines).toEqual({ n: 2, amount: 25.5 });
  });

  it('merges identify traits key by key, the latest event time winning even when it arrives first', async () => {
    await s.post('/v1/identify', { userId: 'ann', traits: { plan: 'pro', city: 'Lyon' }, timestamp: '2024-03-01T00:00:00Z' });
    // An older identify that arrives late must not undo the newer plan, but adds what it alone says.
    await s.post('/v1/identify', { userId: 'ann', traits: { plan: 'free', phone: '123' }, timestamp: '2024-01-01T00:00:00Z' });
    await s.post('/v1/identify', { userId: 'ann', traits: { city: 'Paris' }, timestamp: '2024-04-01T00:00:00Z' });
    const row = await s.store.one<{ t: string }>('SELECT c.traits::VARCHAR t FROM customers c JOIN identities i USING (customer_id) WHERE i.value = $1', ['ann']);
    expect(JSON.parse(row!.t)).toEqual({ plan: 'pro', city: 'Paris', phone: '123' });
  });

  it('records consent per channel from traits and from context.consent, the latest decision winning', async () => {
    await s.post('/v1/identify', { userId: 'ann', traits: { email_consent: 'granted', sms_consent: 'maybe' }, timestamp: '2024-01-01T00:00:00Z' });
    await s.post('/v1/track', {
      userId: 'ann',
      event: 'Consent Updated',
      timestamp: '2024-02-01T00:00:00Z',
      context: { consent: { categoryPreferences: { Email: false, Advertising: true } } },
    });
    await s.post('/v1/identify', { userId: 'ann', traits: { email_consent: 'granted' }, timestamp: '2023-12-01T00:00:00Z' });
    const rows = await s.store.all('SELECT channel, status, updated_at FROM consent ORDER BY channel');
    expect(rows).toEqual([
      { channel: 'ads', status: 'granted', updated_at: new Date('2024-02-01T00:00:00Z') },
      { channel: 'email', status: 'denied', updated_at: new Date('2024-02-01T00:00:00Z') },
    ]);
  });
});
