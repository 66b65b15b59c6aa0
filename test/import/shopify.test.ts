import { describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import { storePerTest } from '../helpers/store.js';
import { customerOf, fixture, metricsOf, traitsOf } from './helpers.js';

const store = storePerTest();

describe('shopify-orders import', () => {
  it('groups line items by Name, spreads first-row columns, and reports the bad row by its physical line', async () => {
    const s = await store();
    const r = await importFile(s, fixture('shopify-orders.csv'));
    // #1001's Notes hold a line break, so the row with the bad price is on line 8, not 7.
    expect(r).toMatchObject({ format: 'shopify-orders', rows: 6, imported: 5, skipped: 1, customers: 2, orders: 4, refunds: 2 });
    expect(r.errors).toEqual([{ line: 8, reason: 'not a price in column "Lineitem price": abc' }]);
    expect(r.lines_without_customer).toBe(1);
  });

  it('counts lines less the discount as revenue, refunds per Financial Status and Refunded Amount', async () => {
    const s = await store();
    await importFile(s, fixture('shopify-orders.csv'));
    const orders = await s.all<{ order_id: string; kind: string; revenue: number; placed_at: Date }>(
      'SELECT order_id, kind, revenue::DOUBLE AS revenue, placed_at FROM orders ORDER BY order_id',
    );
    expect(orders.map((o) => [o.order_id, o.kind, o.revenue])).toEqual([
      ['#1001', 'order', 99], // 2 × 45 + 20 − 11 discount; shipping and taxes are not revenue
      ['#1002', 'order', 36],
      ['#1002/refund', 'refund', -36], // refunded: all of it (Refunded Amount 41 includes shipping)
      ['#1003', 'order', 45],
      ['#1003/refund', 'refund', -15], // partially_refunded: the Refunded Amount
      ['#1004', 'order', 20],
    ]);
    // "2024-03-05 14:03:22 -0500" is 19:03:22 UTC; the refund of #1002 is dated Cancelled at.
    expect(orders[0]!.placed_at.toISOString()).toBe('2024-03-05T19:03:22.000Z');
    expect(orders[2]!.placed_at.toISOString()).toBe('2024-03-07T15:00:00.000Z');
    expect(await metricsOf(s, 'email', 'jane@example.com')).toEqual({ orders_count: 2, total_spent: 129, refunded: 15 });
    // Emails are identities in lower case.
    expect(await metricsOf(s, 'email', 'john@example.com')).toEqual({ orders_count: 1, total_spent: 0, refunded: 36 });
    const e = await s.one<{ properties: string }>("SELECT properties::VARCHAR AS properties FROM events WHERE message_id = 'import:shopify-orders:#1001'");
    expect(JSON.parse(e!.properties)).toMatchObject({
      order_id: '#1001',
      revenue: 99,
      currency: 'USD',
      total: 112.8,
      shipping: 5,
      tax: 8.8,
      discount: 11,
      coupon: 'WELCOME10',
      products: [
        { product_id: 'LS-M', name: 'Linen Shirt - M', price: 45, quantity: 2 },
        { product_id: 'CT-1', name: 'Canvas Tote', price: 20, quantity: 1 },
      ],
    });
    const refund = await s.one<{ event: string; properties: string }>(
      "SELECT event, properties::VARCHAR AS properties FROM events WHERE message_id = 'import:shopify-orders:#1002/refund'",
    );
    expect(refund?.event).toBe('Order Refunded');
    expect(JSON.parse(refund!.properties)).toMatchObject({ order_id: '#1002', revenue: -36 });
  });
});

describe('shopify-customers import', () => {
  it('reads the current header: ids, traits and email/SMS consent', async () => {
    const s = await store();
    const r = await importFile(s, fixture('shopify-customers.csv'));
    expect(r).toMatchObject({ format: 'shopify-customers', rows: 4, imported: 3, skipped: 1, customers: 3, orders: 0 });
    expect(r.errors).toEqual([{ line: 5, reason: 'no Customer ID and no Email' }]);
    const jane = await customerOf(s, 'external:shopify', '7214356422944');
    expect(jane).toBeDefined();
    expect(await customerOf(s, 'email', 'jane@example.com')).toBe(jane);
    expect(await traitsOf(s, 'email', 'jane@example.com')).toMatchObject({
      first_name: 'Jane',
      last_name: 'Doe',
      email: 'jane@example.com',
      phone: '+15035550101',
      city: 'Portland',
      province: 'OR',
      country: 'US',
      tags: ['vip', 'newsletter'],
      shopify_total_spent: 129,
      shopify_total_orders: 2,
      tax_exempt: false,
    });
    const consent = await s.all<{ channel: string; status: string; source: string }>(
      'SELECT channel, status, source FROM consent WHERE customer_id = $1 ORDER BY channel',
      [jane!],
    );
    expect(consent).toEqual([
      { channel: 'email', status: 'granted', source: 'import:shopify-customers:shopify-customers.csv' },
      { channel: 'sms', status: 'denied', source: 'import:shopify-customers:shopify-customers.csv' },
    ]);
    // An invalid email is kept as a trait but identifies nobody.
    expect(await customerOf(s, 'email', 'not-an-email')).toBeUndefined();
    expect(await traitsOf(s, 'external:shopify', '7214356422946')).toMatchObject({ email: 'not-an-email', tax_exempt: true });
  });

  it('reads the legacy header, where Accepts Marketing is email consent', async () => {
    const s = await store();
    const r = await importFile(s, fixture('shopify-customers-legacy.csv'));
    expect(r).toMatchObject({ format: 'shopify-customers', rows: 2, imported: 2, customers: 2 });
    expect(await traitsOf(s, 'email', 'lee@example.com')).toMatchObject({ first_name: 'Lee', country: 'CA', province: 'ON', city: 'Toronto' });
    const lee = await customerOf(s, 'email', 'lee@example.com');
    expect(await s.all('SELECT channel, status FROM consent WHERE customer_id = $1', [lee!])).toEqual([{ channel: 'email', status: 'granted' }]);
  });

  it('joins customers to the orders of the same email, and newer exports move consent and traits', async () => {
    const s = await store();
    await importFile(s, fixture('shopify-orders.csv'));
    const jane = await customerOf(s, 'email', 'jane@example.com');
    // A customers export has no time of its own: it is dated when it was exported.
    const exportedAt = new Date('2024-05-01T00:00:00Z');
    const first = await importFile(s, fixture('shopify-customers.csv'), { exportedAt });
    expect(first.undated_rows_at).toEqual({ at: '2024-05-01T00:00:00.000Z', rows: 3, from: '--exported-at' });
    expect(await customerOf(s, 'external:shopify', '7214356422944')).toBe(jane);
    expect(await metricsOf(s, 'external:shopify', '7214356422944')).toEqual({ orders_count: 2, total_spent: 129, refunded: 15 });
    const again = await importFile(s, fixture('shopify-customers.csv'), { exportedAt });
    expect(again).toMatchObject({ traits_updated: 0, consent_updated: 0 });
    // The legacy export is older: it changes nothing of Jane (only Lee, whom it brings, is new).
    const older = await importFile(s, fixture('shopify-customers-legacy.csv'), { exportedAt: new Date('2024-04-01T00:00:00Z') });
    expect(older).toMatchObject({ traits_updated: 1, consent_updated: 1 });
    expect((await traitsOf(s, 'email', 'jane@example.com')).tags).toEqual(['vip', 'newsletter']);
    expect(await s.one("SELECT status FROM consent WHERE customer_id = $1 AND channel = 'email'", [jane!])).toEqual({ status: 'granted' });
    await importFile(s, fixture('shopify-customers-legacy.csv'), { exportedAt: new Date('2024-06-01T00:00:00Z') });
    const consent = await s.one<{ status: string }>("SELECT status FROM consent WHERE customer_id = $1 AND channel = 'email'", [jane!]);
    expect(consent?.status).toBe('denied');
    expect((await traitsOf(s, 'email', 'jane@example.com')).tags).toEqual(['vip']);
  });
});
