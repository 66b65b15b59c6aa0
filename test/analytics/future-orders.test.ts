import { describe, expect, it } from 'vitest';
import { MAX_COHORT_PERIODS, runCohorts } from '../../src/analytics/cohorts/cohorts.js';
import type { OrderRecord } from '../../src/analytics/rfm/rfmInMemory.js';
import { defaultAsOf, ordersFrom } from '../../src/store/queries/analytics/rfm.js';
import { storePerTest } from '../helpers/store.js';
import { day, insertOrders } from './helpers/orders.js';

// Trial 6, D3: orders dated far away (stored before such dates were refused) moved the default as-of
// past now and made cohorts run for ever. The clock is passed in, so the results do not depend on today.
const store = storePerTest();
const o = (customerId: string, at: string): OrderRecord => ({ customerId, kind: 'order', placedAt: day(at), revenue: 10 });
const now = new Date('2024-03-10T15:00:00Z');

describe('orders dated in the future', () => {
  it('the default as-of is midnight after the last order, but never after midnight after today', async () => {
    const s = await store();
    await insertOrders(s, [o('a', '2024-01-05T10:00:00'), o('b', '2024-03-01T10:00:00')]);
    expect(await defaultAsOf(s, now)).toEqual(new Date('2024-03-02T00:00:00Z'));
    await insertOrders(s, [o('c', '9999-12-31T12:00:00')]);
    expect(await defaultAsOf(s, now)).toEqual(new Date('2024-03-11T00:00:00Z'));
    expect(await ordersFrom(s, new Date('2024-03-11T00:00:00Z'))).toBe(1);
  });

  it('cohorts leave out orders after today and end at the last order before it', async () => {
    const s = await store();
    await insertOrders(s, [o('a', '2024-01-05T10:00:00'), o('a', '9999-12-31T12:00:00'), o('b', '2024-02-01T10:00:00'), o('z', '9999-06-01T00:00:00')]);
    const rep = await runCohorts(s, 'month', now);
    expect(rep.data_end).toBe('2024-02-02');
    // z's only order has not happened yet: no cohort of 9999, and a's order of 9999 is not counted
    expect(rep.cohorts.map((c) => [c.cohort, c.customers, c.periods.map((p) => p.orders)])).toEqual([
      ['2024-01-01', 1, [1, 0]],
      ['2024-02-01', 1, [1]],
    ]);
  });

  it(`cohorts refuse a span of more than ${MAX_COHORT_PERIODS} periods, naming it and the limit`, async () => {
    const s = await store();
    await insertOrders(s, [o('a', '1900-01-01T10:00:00'), o('b', '2024-02-01T10:00:00')]);
    await expect(runCohorts(s, 'week', now)).rejects.toMatchObject({
      code: 'cohorts_span_too_long',
      details: { first: '1900-01-01', last: '2024-01-29', limit: MAX_COHORT_PERIODS },
    });
    await expect(runCohorts(s, 'week', now)).rejects.toThrow(/The orders span 6475 weeks \(1900-01-01 to 2024-01-29\); cohorts lay out at most 1200/);
    // 124 years do not fit by month either (1,490 months > 1,200): no month suggestion (trial 13, L3).
    await expect(runCohorts(s, 'week', now)).rejects.toThrow(/see segmint quality and correct it\.$/);
    // 1900-01-01 is a Monday: (2024-01-29 − 1900-01-01) / 7 + 1 = 6,475 weeks (computed with Python's datetime).
    // 74 years by month is 890 periods, within the limit: laid out whole (the averages were quadratic before).
    const t = await store();
    await insertOrders(t, [o('a', '1950-01-01T10:00:00'), o('b', '2024-02-01T10:00:00')]);
    // Trial 13, L3: weeks that would fit by month are pointed to --by month…
    await expect(runCohorts(t, 'week', now)).rejects.toThrow(/see segmint quality, or use --by month\.$/);
    const rep = await runCohorts(t, 'month', now);
    expect(rep.cohorts[0]!.periods).toHaveLength((2024 - 1950) * 12 + 2);
    expect(rep.averages).toHaveLength((2024 - 1950) * 12 + 2);
    // …and a --by month grid that is too long is never told to use --by month.
    const u = await store();
    await insertOrders(u, [o('a', '0001-01-01T00:00:00'), o('b', '2024-01-05T10:00:00')]);
    const refusal = runCohorts(u, 'month', now);
    await expect(refusal).rejects.toMatchObject({ code: 'cohorts_span_too_long', details: { by: 'month' } });
    await expect(runCohorts(u, 'month', now)).rejects.not.toThrow(/--by month/);
  });
});
