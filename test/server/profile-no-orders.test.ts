import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerProfile } from '../../src/profiles/profile.js';
import { renderProfile } from '../../src/profiles/render.js';
import { metricFields } from '../../src/segments/catalog/metrics.js';
import { fieldValue } from '../../src/segments/evaluator/values.js';
import { loadCustomerState } from '../../src/store/queries/segment-state.js';
import { basic, testServer, type TestServer } from './helpers.js';

/*
 * Fix 9, item 3: the profile of a customer with no orders said `"metrics": null` (customers show --json,
 * GET /v1/customers/{id}), where the segment language reads 0 orders and 0 spent for them, and workflow
 * emails print those (trial 8, D3). The kind: a profile that shows other metric values than the segment
 * language reads. Each metric of the catalog is compared with the evaluator's value for the same customer.
 */

let s: TestServer;
beforeAll(async () => {
  s = await testServer(['write', 'read']);
  expect((await s.post('/v1/identify', { userId: 'no-orders', traits: { email: 'none@example.com' } })).status).toBe(200);
  const order = { order_id: 'o1', revenue: 30, products: [{ product_id: 'p1', price: 30, quantity: 1 }] };
  expect((await s.post('/v1/track', { userId: 'buyer', event: 'Order Completed', properties: order, timestamp: '2024-05-01T10:00:00Z' })).status).toBe(200);
});
afterAll(async () => s.cleanup());

const profileOf = async (ref: string) => {
  const res = await s.app.inject({ method: 'GET', url: `/v1/customers/${ref}?asOf=2024-06-01`, headers: { authorization: basic(s.key) } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { customer_id: string; metrics: Record<string, unknown> | null };
};

describe('the profile of a customer with no orders', () => {
  it('gives every metric the segment language reads for them: 0 orders, 0 spent, no dates', async () => {
    const p = await profileOf('no-orders');
    expect(p.metrics).not.toBeNull();
    const state = await loadCustomerState(s.store, p.customer_id);
    const now = Date.parse('2024-06-01T00:00:00Z');
    for (const f of metricFields) {
      const v = fieldValue(f, state, now);
      expect(p.metrics?.[f.name], f.name).toEqual(v === undefined ? null : v);
    }
    expect(p.metrics).toMatchObject({ orders_count: 0, total_spent: 0, gross_revenue: 0, refunded: 0, distinct_products: 0, last_order_at: null, avg_order_value: null });
  });

  it('has the keys a buyer’s profile has, in the JSON of the CLI and the API alike', async () => {
    const none = await profileOf('no-orders');
    const buyer = await profileOf('buyer');
    expect(buyer.metrics?.orders_count).toBe(1);
    expect(Object.keys(none.metrics ?? {}).sort()).toEqual(Object.keys(buyer.metrics ?? {}).sort());
    // customers show --json prints this function's answer
    const direct = await customerProfile(s.store, 'no-orders', new Date('2024-06-01T00:00:00Z'));
    expect(JSON.parse(JSON.stringify(direct.metrics))).toEqual(none.metrics);
    expect(renderProfile(direct)).toContain('orders_count          0');
  });
});
