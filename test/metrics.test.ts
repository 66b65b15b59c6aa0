import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { customerStats, refreshCustomerMetrics } from '../src/store/queries/metrics.js';
import { tempStore } from './helpers/store.js';

let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

async function seed() {
  const t = await tempStore();
  cleanup = t.cleanup;
  const s = t.store;
  for (const id of ['a', 'b', 'c']) {
    await s.run("INSERT INTO customers VALUES ($1, now(), now(), '{}', NULL)", [id]);
  }
  const order = async (id: string, cust: string | null, kind: string, at: string, lines: [string, string | null, number][]) => {
    const revenue = lines.reduce((x, l) => x + l[2], 0);
    await s.run('INSERT INTO orders VALUES ($1, $2, $3, $4::TIMESTAMP, $5, NULL, NULL, $6)', [id, cust, kind, at, revenue, 'test']);
    let i = 0;
    for (const [p, cat, amt] of lines) {
      await s.run('INSERT INTO order_lines (order_id, line_no, product_id, name, category, price, quantity, amount) VALUES ($1, $2, $3, $3, $4, $5, 1, $5)', [id, ++i, p, cat, amt]);
    }
  };
  await order('o1', 'a', 'order', '2024-01-01 10:00:00', [['p1', 'Dresses', 10], ['p2', 'Shoes', 30.5]]);
  await order('o2', 'a', 'order', '2024-01-11 10:00:00', [['p1', 'Dresses', 25]]);
  await order('o3', 'a', 'order', '2024-01-31 10:00:00', [['p3', 'Dresses', 10]]);
  await order('r1', 'a', 'refund', '2024-02-01 10:00:00', [['p3', 'Dresses', -10]]);
  await order('o4', 'b', 'order', '2024-03-01 00:00:00', [['p9', null, 77183.6]]);
  await order('r2', 'b', 'refund', '2024-03-01 00:05:00', [['p9', null, -77183.6]]);
  await order('g1', null, 'order', '2024-03-01 00:00:00', [['p9', null, 5]]);
  return s;
}

describe('customer metrics', () => {
  it('computes the documented definitions', async () => {
    const s = await seed();
    await refreshCustomerMetrics(s);
    const a = await s.one<Record<string, unknown>>("SELECT * FROM customer_metrics WHERE customer_id = 'a'");
    expect(a).toMatchObject({
      orders_count: 3,
      gross_revenue: 75.5,
      refunded: 10,
      total_spent: 65.5,
      avg_order_value: 25.17,
      distinct_products: 3,
      top_category: 'Dresses',
    });
    expect(a?.avg_days_between_orders).toBeCloseTo(15, 10);
    expect((a?.first_order_at as Date).toISOString()).toBe('2024-01-01T10:00:00.000Z');
    expect((a?.last_order_at as Date).toISOString()).toBe('2024-01-31T10:00:00.000Z');
    const b = await s.one<Record<string, unknown>>("SELECT * FROM customer_metrics WHERE customer_id = 'b'");
    expect(b).toMatchObject({ orders_count: 1, total_spent: 0, refunded: 77183.6, avg_days_between_orders: null, top_category: null });
    const c = await s.one("SELECT * FROM customer_metrics WHERE customer_id = 'c'");
    expect(c).toBeUndefined();
  });

  it('refreshes only the named customers and agrees with the bulk path', async () => {
    const s = await seed();
    await refreshCustomerMetrics(s);
    const bulk = await s.all('SELECT * EXCLUDE (updated_at) FROM customer_metrics ORDER BY customer_id');
    await s.run("DELETE FROM customer_metrics WHERE customer_id = 'a'");
    await refreshCustomerMetrics(s, ['a']);
    const again = await s.all('SELECT * EXCLUDE (updated_at) FROM customer_metrics ORDER BY customer_id');
    expect(again).toEqual(bulk);
  });

  // A live commit refreshes a few customers by index look-ups (ids as constants), a large merge many
  // through a joined column: both must give exactly the rows of the bulk path for those customers.
  it('gives the bulk rows for any set of named customers, few or many, with or without orders', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const s = t.store;
    const ids = Array.from({ length: 120 }, (_, i) => `c${i}`);
    await s.run(`INSERT INTO orders SELECT 'o' || i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'c' || (i * 37 % 110) END,
      CASE WHEN i % 5 = 0 THEN 'refund' ELSE 'order' END, TIMESTAMP '2024-01-01' + INTERVAL (i * 13 % 400) HOUR,
      CASE WHEN i % 5 = 0 THEN -(i % 9) ELSE i % 11 + 0.25 END, NULL, NULL, 'test' FROM range(400) r(i)`);
    await s.run(`INSERT INTO order_lines (order_id, line_no, product_id, name, category, price, quantity, amount, kind)
      SELECT 'o' || i, j, 'p' || ((i + j) % 13), NULL, CASE (i + j) % 4 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE 'cat' || ((i * j) % 3) END,
        1, 1, (i * j) % 17 + 0.5, CASE WHEN j = 3 THEN 'shipping' ELSE 'product' END FROM range(400) r(i), range(1, 4) l(j)`);
    await refreshCustomerMetrics(s);
    const bulk = new Map((await s.all<Record<string, unknown>>('SELECT * EXCLUDE (updated_at) FROM customer_metrics')).map((r) => [r.customer_id as string, r]));
    expect(bulk.size).toBeGreaterThan(90);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...ids), { minLength: 1, maxLength: 110 }), async (some) => {
        await s.run('DELETE FROM customer_metrics');
        await refreshCustomerMetrics(s, some);
        const rows = await s.all<Record<string, unknown>>('SELECT * EXCLUDE (updated_at) FROM customer_metrics ORDER BY customer_id');
        const want = [...new Set(some)].filter((id) => bulk.has(id)).sort().map((id) => bulk.get(id));
        expect(rows).toEqual(want);
      }),
      { numRuns: 25 },
    );
  });

  it('counts stats over identified customers only', async () => {
    const s = await seed();
    await refreshCustomerMetrics(s);
    expect(await customerStats(s)).toEqual({ customers: 3, customers_with_orders: 2, orders: 4, net_revenue: 65.5 });
  });
});
