import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCohorts } from '../../src/analytics/cohorts/cohorts.js';
import { formatCohorts } from '../../src/analytics/cohorts/format.js';
import { periodIndex } from '../../src/analytics/cohorts/periodIndex.js';
import type { OrderRecord } from '../../src/analytics/rfm/rfmInMemory.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';
import { day, insertOrders } from './helpers/orders.js';

let store: Store;
let cleanup: () => void;
beforeAll(async () => {
  ({ store, cleanup } = await tempStore());
});
afterAll(() => cleanup());

const o = (customerId: string, at: string, revenue: number, kind: 'order' | 'refund' = 'order'): OrderRecord => ({
  customerId,
  kind,
  placedAt: day(at),
  revenue,
});

describe('cohorts', () => {
  it('refuses to run without orders', async () => {
    await expect(runCohorts(store, 'month')).rejects.toThrow(/no orders of identified customers/);
  });

  it('builds the month grid of a worked example', async () => {
    await insertOrders(store, [
      o('a', '2024-01-05T10:00:00', 100),
      o('a', '2024-02-10T10:00:00', 50),
      o('a', '2024-02-11T10:00:00', -20, 'refund'),
      o('a', '2024-04-01T09:00:00', 30),
      o('b', '2024-01-20T10:00:00', 200),
      o('c', '2024-02-03T10:00:00', 10),
      o('c', '2024-02-20T10:00:00', 10),
      o('c', '2024-03-01T10:00:00', 5),
    ]);
    const rep = await runCohorts(store, 'month');
    expect(rep).toMatchObject({ by: 'month', data_end: '2024-04-02', last_period_partial: true });
    expect(rep.cohorts.map((c) => [c.cohort, c.customers])).toEqual([
      ['2024-01-01', 2],
      ['2024-02-01', 1],
    ]);
    const jan = rep.cohorts[0]!.periods;
    expect(jan.map((p) => [p.period, p.active, p.orders, p.revenue, p.cumulative_revenue_per_customer])).toEqual([
      [0, 2, 2, 300, 150],
      [1, 1, 1, 30, 165], // a's order of 50 less the refund of 20
      [2, 0, 0, 0, 165],
      [3, 1, 1, 30, 180],
    ]);
    expect(jan.map((p) => p.retention)).toEqual([1, 0.5, 0, 0.5]);
    const feb = rep.cohorts[1]!.periods;
    expect(feb.map((p) => [p.period, p.active, p.orders, p.revenue])).toEqual([
      [0, 1, 2, 20],
      [1, 1, 1, 5],
      [2, 0, 0, 0],
    ]);
    expect(rep.averages.map((a) => [a.period, a.cohorts, a.customers, a.active])).toEqual([
      [0, 2, 3, 3],
      [1, 2, 3, 2],
      [2, 2, 3, 0],
      [3, 1, 2, 1],
    ]);
    expect(rep.averages[1]!.retention_weighted).toBeCloseTo(2 / 3, 12);
    expect(rep.averages[1]!.retention_mean).toBeCloseTo(0.75, 12);
    expect(rep.averages[1]!.cumulative_revenue_per_customer).toBe(118.33);
    expect(rep.averages[3]!.cumulative_revenue_per_customer).toBe(180);

    const text = formatCohorts(rep, 'customers');
    expect(text).toMatch(/2024-01\s+2\s+100%\s+50%\s+0%\s+50%/);
    expect(text).toMatch(/all \(weighted\)\s+3\s+100%\s+67%\s+0%\s+50%/);
    expect(formatCohorts(rep, 'revenue')).toMatch(/2024-01\s+2\s+150\.00\s+165\.00\s+165\.00\s+180\.00/);
  });

  it('counts weeks from Monday', async () => {
    const rep = await runCohorts(store, 'week');
    // a's first order on Friday 2024-01-05 is in the week of Monday 2024-01-01; b's (Saturday 20th) in the week of the 15th
    expect(rep.cohorts.map((c) => [c.cohort, c.customers])).toEqual([
      ['2024-01-01', 1],
      ['2024-01-15', 1],
      ['2024-01-29', 1],
    ]);
    const a = rep.cohorts[0]!.periods.filter((p) => p.active > 0).map((p) => p.period);
    expect(a).toEqual([0, 5, 13]); // Feb 10 (week of Feb 5) and Apr 1 (a Monday)
    expect(periodIndex('2023-12-25', '2024-01-01', 'week')).toBe(1);
    expect(periodIndex('2023-11-01', '2024-02-01', 'month')).toBe(3);
  });
});
