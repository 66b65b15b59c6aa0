import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import { customerProfile } from '../../src/profiles/profile.js';
import { renderProfile } from '../../src/profiles/render.js';
import { customerStats } from '../../src/store/queries/metrics.js';
import { listCustomers } from '../../src/store/queries/profiles.js';
import { fixture } from '../import/helpers.js';
import { tempStore } from '../helpers/store.js';

let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

async function shop() {
  const t = await tempStore();
  cleanup = t.cleanup;
  await importFile(t.store, fixture('shopify-orders.csv'));
  await importFile(t.store, fixture('shopify-customers.csv'));
  return t;
}

describe('customer profile', () => {
  it('finds the same customer by id, email (any case) or external id', async () => {
    const { store } = await shop();
    const asOf = new Date('2024-04-11T12:00:00Z');
    const byEmail = await customerProfile(store, 'Jane@Example.com', asOf);
    expect((await customerProfile(store, '7214356422944', asOf)).customer_id).toBe(byEmail.customer_id);
    expect((await customerProfile(store, byEmail.customer_id, asOf)).customer_id).toBe(byEmail.customer_id);
    expect(byEmail.identities.map((i) => [i.kind, i.value])).toEqual([
      ['email', 'jane@example.com'],
      ['external:shopify', '7214356422944'],
    ]);
    expect(byEmail.traits).toMatchObject({ first_name: 'Jane', country: 'US' });
    expect(byEmail.consent.map((c) => [c.channel, c.status])).toEqual([
      ['email', 'granted'],
      ['sms', 'denied'],
    ]);
  });

  it('has the metrics of docs/metrics.md, with days_since_last_order counted to as_of', async () => {
    const { store } = await shop();
    const p = await customerProfile(store, 'jane@example.com', new Date('2024-04-11T12:00:00Z'));
    expect(p.metrics).toMatchObject({
      orders_count: 2,
      gross_revenue: 144,
      refunded: 15,
      total_spent: 129,
      avg_order_value: 72,
      distinct_products: 3,
    });
    // Last order 2024-04-01 12:00 UTC: ten days before as_of.
    expect(p.metrics!.days_since_last_order).toBeCloseTo(10, 10);
    // Newest first; the partial refund and the order of 04-01 share a time (then by message id, descending).
    expect(p.recent_events.map((e) => e.event)).toEqual(['Order Refunded', 'Order Completed', 'Order Completed']);
    expect(p.recent_events[2]).toMatchObject({ message_id: 'import:shopify-orders:#1001', source: 'import:shopify-orders' });
    expect(renderProfile(p)).toContain('total_spent           129.00 (gross 144.00, refunded 15.00)');
  });

  it('keeps the last 20 events only', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const file = join(t.dir, 'many.csv');
    const rows = Array.from({ length: 25 }, (_, i) => `O${i},2024-01-${String(i + 1).padStart(2, '0')},u1,10`);
    writeFileSync(file, ['id,date,user,total', ...rows].join('\n') + '\n');
    await importFile(t.store, file, { map: ['id=order_id', 'date=placed_at', 'user=user_id', 'total=amount'] });
    const p = await customerProfile(t.store, 'u1', new Date('2024-02-01T00:00:00Z'));
    expect(p.recent_events).toHaveLength(20);
    expect(p.recent_events[0]!.properties).toMatchObject({ order_id: 'O24', revenue: 10 });
    expect(p.metrics).toMatchObject({ orders_count: 25, total_spent: 250 });
  });

  it('an unknown id is a clear 404 error', async () => {
    const { store } = await shop();
    await expect(customerProfile(store, 'nobody@example.com', new Date())).rejects.toMatchObject({
      code: 'customer_not_found',
      httpStatus: 404,
      message: expect.stringContaining('"nobody@example.com"'),
    });
  });
});

describe('customer stats and list', () => {
  it('counts identified customers, their orders and net revenue; lists by spend', async () => {
    const { store } = await shop();
    // 3 from the customers file + jane and john from orders (jane joined): 3 live customers with ids,
    // of which jane and john have orders; the guest order #1004 counts nowhere.
    expect(await customerStats(store)).toEqual({ customers: 3, customers_with_orders: 2, orders: 3, net_revenue: 129 });
    const list = await listCustomers(store, 10, 0);
    expect(list[0]).toMatchObject({ email: 'jane@example.com', total_spent: 129, orders_count: 2 });
    // Ties on spend go by customer id, so only the set of the others is fixed.
    expect(list.slice(1).map((r) => r.email).sort()).toEqual(['john@example.com', null].sort());
    expect(await listCustomers(store, 1, 1)).toEqual([list[1]]);
  });
});
