import { afterEach, describe, expect, it } from 'vitest';
import { featureMatrix, FEATURES } from '../../../src/predict/propensity/features.js';
import type { Store } from '../../../src/store/db.js';
import { propensityFeatures, purchasersBetween } from '../../../src/store/queries/propensity-features.js';
import { tempStore } from '../../helpers/store.js';

let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

async function order(s: Store, id: string, customer: string | null, kind: string, at: string, lines: [string, string | null, number][]) {
  await s.run('INSERT INTO orders VALUES ($1, $2, $3, $4::TIMESTAMP, $5, NULL, NULL, $6)', [id, customer, kind, at, lines.reduce((x, l) => x + l[2], 0), 'test']);
  let i = 0;
  for (const [p, cat, amt] of lines) await s.run('INSERT INTO order_lines (order_id, line_no, product_id, name, category, price, quantity, amount) VALUES ($1, $2, $3, $3, $4, $5, 1, $5)', [id, ++i, p, cat, amt]);
}

async function event(s: Store, id: string, customer: string, name: string, at: string) {
  await s.run(
    `INSERT INTO events VALUES ($1, 'track', $2, $3, NULL, NULL, $4::TIMESTAMP, $4::TIMESTAMP, '{}', NULL, NULL, 'test')`,
    [id, name, customer, at],
  );
}

async function seed(): Promise<Store> {
  const t = await tempStore();
  cleanup = t.cleanup;
  const s = t.store;
  for (const id of ['a', 'b', 'c']) await s.run("INSERT INTO customers VALUES ($1, now(), now(), '{}', NULL)", [id]);
  await order(s, 'a1', 'a', 'order', '2024-01-01 00:00:00', [['p1', 'Cups', 10], ['p2', 'Plates', 20]]);
  await order(s, 'a2', 'a', 'order', '2024-02-01 00:00:00', [['p1', 'Cups', 10]]);
  await order(s, 'a3', 'a', 'order', '2024-03-01 00:00:00', [['p3', 'Cups', 5]]);
  await order(s, 'ar', 'a', 'refund', '2024-03-02 00:00:00', [['p3', 'Cups', -5]]);
  await order(s, 'b1', 'b', 'order', '2023-10-01 00:00:00', [['p9', null, 40]]);
  await order(s, 'g1', null, 'order', '2024-03-05 00:00:00', [['p1', 'Cups', 10]]);
  await event(s, 'e1', 'a', 'Email Opened', '2024-03-01 09:00:00');
  await event(s, 'e2', 'a', 'email opened', '2024-03-05 09:00:00');
  await event(s, 'e3', 'a', 'Email Opened', '2024-01-15 09:00:00'); // older than 30 days: not counted
  await event(s, 'e4', 'a', 'Email Link Clicked', '2024-03-05 09:01:00');
  await event(s, 'e5', 'a', 'Product Viewed', '2024-03-10 12:00:00');
  await event(s, 'e6', 'b', 'Product Viewed', '2024-03-12 12:00:00'); // after the cutoff
  return s;
}

const cutoff = new Date('2024-03-11T00:00:00Z');

describe('propensity features', () => {
  it('computes each raw feature from the history up to the cutoff', async () => {
    const s = await seed();
    const rows = await propensityFeatures(s, cutoff);
    expect(rows.map((r) => r.customer_id)).toEqual(['a', 'b']);
    expect(rows[0]).toEqual({
      customer_id: 'a',
      recency_days: 10,
      tenure_days: 70,
      orders: 3,
      net_spend: 40,
      mean_gap_days: 30,
      last_gap_days: 29,
      orders_90d: 3,
      orders_prev_90d: 0,
      products: 3,
      categories: 2,
      email_opens_30d: 2,
      email_clicks_30d: 1,
      product_views_30d: 1,
    });
    expect(rows[1]).toMatchObject({
      customer_id: 'b',
      recency_days: 162,
      orders: 1,
      mean_gap_days: null,
      last_gap_days: null,
      orders_90d: 0,
      orders_prev_90d: 1,
      categories: 0,
      product_views_30d: 0,
    });
  });

  it('does not change when orders and events after the cutoff are added (no leakage)', async () => {
    const s = await seed();
    const before = await propensityFeatures(s, cutoff);
    await order(s, 'a4', 'a', 'order', '2024-03-11 00:00:01', [['p7', 'Bowls', 99]]);
    await order(s, 'c1', 'c', 'order', '2024-03-20 00:00:00', [['p7', 'Bowls', 99]]);
    await event(s, 'e7', 'a', 'Email Opened', '2024-03-11 00:00:01');
    expect(await propensityFeatures(s, cutoff)).toEqual(before);
    expect(await purchasersBetween(s, cutoff, new Date('2024-04-10T00:00:00Z'))).toEqual(new Set(['a', 'c']));
  });

  it('scopes to the named customers with the same values as the bulk path', async () => {
    const s = await seed();
    const all = await propensityFeatures(s, cutoff);
    expect(await propensityFeatures(s, cutoff, ['b'])).toEqual([all[1]]);
    expect(await propensityFeatures(s, cutoff, [])).toEqual([]);
  });

  it('turns raw figures into model inputs, missing gaps as NaN', async () => {
    const s = await seed();
    const rows = await propensityFeatures(s, cutoff);
    const x = featureMatrix(rows);
    expect(x.cols).toBe(FEATURES.length);
    const col = (name: string) => FEATURES.findIndex((f) => f.name === name);
    expect(x.data[col('recency')]).toBeCloseTo(Math.log(11), 12);
    expect(x.data[col('overdue')]).toBeCloseTo(10 / 30, 12);
    expect(x.data[x.cols + col('mean_gap')]).toBeNaN();
    expect(x.data[x.cols + col('trend_90d')]).toBeCloseTo(-Math.log(2), 12);
    expect(FEATURES[col('overdue')]!.words(rows[0]!)).toBe('0.3× the usual gap since the last order');
    expect(FEATURES[col('recency')]!.words(rows[1]!)).toBe('last order 162 days ago');
  });
});
