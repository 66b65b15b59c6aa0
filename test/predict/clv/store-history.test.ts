import { afterEach, describe, expect, it } from 'vitest';
import { loadHistory } from '../../../src/predict/clv/run/load-history.js';
import { readSummaryCsv } from '../../../src/predict/clv/summary-csv.js';
import { customerPredictions, replaceCustomerPredictions } from '../../../src/store/queries/clv-predictions.js';
import type { Store } from '../../../src/store/db.js';
import { tempStore } from '../../helpers/store.js';

let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

async function seed(): Promise<Store> {
  const t = await tempStore();
  cleanup = t.cleanup;
  const orders: [string, string | null, string, string, number][] = [
    // a: two orders on Jan 1 (one transaction at day grain), Jan 8, Jan 15 (after the calibration end)
    ['a1', 'a', 'order', '2024-01-01 09:00:00', 10],
    ['a2', 'a', 'order', '2024-01-01 18:00:00', 5],
    ['a3', 'a', 'order', '2024-01-08 12:00:00', 20],
    ['ar', 'a', 'refund', '2024-01-09 12:00:00', -20],
    ['a4', 'a', 'order', '2024-01-15 12:00:00', 30],
    // b: one order on the calibration end day; c: first order after it (not in the cohort); a guest order
    ['b1', 'b', 'order', '2024-01-10 23:30:00', 7],
    ['c1', 'c', 'order', '2024-01-11 00:00:00', 9],
    ['g1', null, 'order', '2024-01-02 00:00:00', 99],
  ];
  for (const [id, customer, kind, at, revenue] of orders) {
    await t.store.run("INSERT INTO orders VALUES ($1, $2, $3, $4::TIMESTAMP, $5, NULL, NULL, 'test')", [id, customer, kind, at, revenue]);
  }
  return t.store;
}

const calibrationEnd = new Date('2024-01-10T00:00:00Z');
const holdoutEnd = new Date('2024-01-20T00:00:00Z');

describe('summaries from the store', () => {
  it('day grain: same-day orders are one transaction, refunds are not purchases, T runs to the end day', async () => {
    const store = await seed();
    const { data } = await loadHistory(store, 'day', 'day', { calibrationEnd, holdoutEnd });
    expect(data.ids).toEqual(['a', 'b']);
    // a: first Jan 1 (spend 15), repeat Jan 8 (spend 20): x = 1, tₓ = 7 days, T = Jan 10 − Jan 1 = 9 days
    expect([data.x[0], data.tx[0], data.T[0], data.mx[0]]).toEqual([1, 7, 9, 20]);
    // a's holdout: Jan 15 → one transaction, 5 days after the calibration end day
    expect([data.xStar[0], data.nextAfterEnd[0]]).toEqual([1, 5]);
    // b bought on the end day itself: T = 0
    expect([data.x[1], data.T[1], data.xStar[1]]).toEqual([0, 0, 0]);
    expect(data.nextAfterEnd[1]).toBeNaN();
  });

  it('order grain: every order is a transaction, times are exact, T runs to the end of the end day', async () => {
    const store = await seed();
    const { data } = await loadHistory(store, 'order', 'week', { calibrationEnd, holdoutEnd });
    const hours = (h: number) => h / 24 / 7;
    expect(data.x[0]).toBe(2);
    expect(data.tx[0]).toBeCloseTo(hours(7 * 24 + 3), 12); // Jan 1 09:00 → Jan 8 12:00
    expect(data.T[0]).toBeCloseTo(hours(10 * 24 - 9), 12); // Jan 1 09:00 → Jan 11 00:00
    expect(data.mx[0]).toBeCloseTo(12.5, 12); // (5 + 20) / 2
    expect(data.T[1]).toBeCloseTo(hours(0.5), 12);
  });

  it('explains an empty store and a calibration end before the data', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    await expect(loadHistory(t.store, 'day', 'week', {})).rejects.toThrow(/no orders/);
    const store = await seed();
    await expect(loadHistory(store, 'day', 'week', { calibrationEnd: new Date('2023-01-01T00:00:00Z') })).rejects.toThrow(/before the first order/);
  });
});

describe('summary CSV errors name the file, line and field', () => {
  const fixture = (name: string) => new URL(`../../fixtures/clv/${name}`, import.meta.url).pathname;
  it.each([
    ['summary-bad-number.csv', /summary-bad-number\.csv: line 3: t\.x is not a number \("abc"\)/],
    ['summary-missing-column.csv', /summary-missing-column\.csv: line 1: no column "t\.x"/],
    ['summary-tx-after-T.csv', /line 2: need an integer x ≥ 0 and 0 ≤ t\.x ≤ T\.cal/],
  ])('%s', (file, message) => {
    expect(() => readSummaryCsv(fixture(file))).toThrow(message);
  });
});

describe('customer_predictions', () => {
  it('round-trips nulls and whole-number doubles in any row order, and replaces the previous run', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const asOf = new Date('2024-01-10T00:00:00Z');
    const base = { as_of: asOf, model: 'bg-nbd', model_id: 'm1', churn_risk: 'low' };
    const rows = [
      // First row: nulls and exact integers, the values a list binding would mistype.
      { ...base, customer_id: 'a', expected_purchases_90d: 0, p_alive: 1, churn_probability: 0, expected_spend: null, predicted_clv_365d: null, next_order_at: null },
      { ...base, customer_id: 'b', expected_purchases_90d: 0.25, p_alive: 0.4, churn_probability: 0.6, churn_risk: 'medium', expected_spend: 12.5, predicted_clv_365d: 3.125, next_order_at: new Date('2024-02-01T12:00:00Z') },
    ];
    await replaceCustomerPredictions(t.store, rows);
    const back = await customerPredictions(t.store);
    expect(back.map((r) => r.customer_id)).toEqual(['b', 'a']);
    expect(back[1]).toEqual(rows[0]);
    expect(back[0]).toEqual(rows[1]);
    await replaceCustomerPredictions(t.store, [rows[1] as (typeof rows)[number]]);
    expect((await customerPredictions(t.store)).map((r) => r.customer_id)).toEqual(['b']);
    expect(await customerPredictions(t.store, 'b')).toHaveLength(1);
  });
});
