import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUPS_3, DEFAULT_GROUPS_5 } from '../../src/analytics/rfm/groups.js';
import { formatRfm } from '../../src/analytics/rfm/format.js';
import { rfmMovementReport } from '../../src/analytics/rfm/movement.js';
import { runRfm } from '../../src/analytics/rfm/rfm.js';
import { rfmWarnings } from '../../src/analytics/rfm/warnings.js';
import type { OrderRecord } from '../../src/analytics/rfm/rfmInMemory.js';
import type { RfmSpread } from '../../src/store/queries/analytics/rfm.js';
import { storePerTest } from '../helpers/store.js';
import { day, insertOrders } from './helpers/orders.js';

const asOf = day('2024-04-01');
const o = (customerId: string, at: string, revenue: number): OrderRecord => ({ customerId, kind: 'order', placedAt: day(at), revenue });
const spread = (s: Partial<RfmSpread>): RfmSpread => ({
  n: 10,
  recency_values: 4,
  frequency_values: 3,
  monetary_values: 9,
  recency: null,
  frequency: null,
  monetary: null,
  ...s,
});

describe('RFM on degenerate bases', () => {
  const store = storePerTest();

  it('one customer: the middle score on every dimension, with a warning, never "Hibernating"', async () => {
    const s = await store();
    await insertOrders(s, [o('solo', '2024-03-31T10:00:00', 80)]);
    const rep = await runRfm(s, { asOf, table: DEFAULT_GROUPS_5, customer: 'solo' });
    expect(rep.customer).toMatchObject({ r: 3, f: 3, m: 3, score: '333', group: 'Need Attention' });
    expect(rep.warnings).toEqual(['Only one customer is scored: with no one to compare with, every score is the middle one (3).']);
    expect(formatRfm(rep)).toMatch(/^RFM as of 2024-04-01: 1 customer scored \(5 bins\); saved for segments\nwarning: Only one customer/);
  });

  it('the most recent customers tied with most of the base are not scored as the least recent (identical-customers.csv)', async () => {
    const s = await store();
    await insertOrders(s, [
      ...Array.from({ length: 12 }, (_, i) => o(`same-${i}`, '2024-03-01T10:00:00', 10)),
      o('other-1', '2024-01-01T10:00:00', 500),
      o('other-1', '2024-02-01T10:00:00', 500),
      o('other-2', '2023-06-01T10:00:00', 5),
    ]);
    const rep = await runRfm(s, { asOf, table: DEFAULT_GROUPS_5, customer: 'same-0' });
    // w = 2 less recent, t = 12 tied: 1 + floor(5 × (4 + 12) / 28) = 3
    expect(rep.customer).toMatchObject({ recency_days: 30, r: 3 });
    expect(rep.r).toEqual({ 1: 2, 2: 0, 3: 12, 4: 0, 5: 0 });
    expect(rep.warnings).toEqual([]);
  });

  it('a dimension equal for everyone gets the middle score and a warning naming it', async () => {
    const s = await store();
    await insertOrders(s, Array.from({ length: 6 }, (_, i) => o(`c${i}`, `2024-03-0${i + 1}T10:00:00`, 10 * (i + 1))));
    const rep = await runRfm(s, { asOf, table: DEFAULT_GROUPS_3, save: false });
    expect(rep.f).toEqual({ 1: 0, 2: 6, 3: 0 });
    expect(rep.warnings).toEqual(['Every scored customer has the same frequency (1 order), so F is the middle score (2) for everyone and separates no one.']);
  });

  it('refuses an as-of before any order, and a movement to a moment before any order', async () => {
    const s = await store();
    await insertOrders(s, [o('late', '2024-03-31T10:00:00', 80)]);
    await expect(runRfm(s, { asOf: day('2020-01-01'), table: DEFAULT_GROUPS_5 })).rejects.toThrow(
      'No customer had ordered before 2020-01-01, so there is nothing to score; choose a later --as-of.',
    );
    await expect(rfmMovementReport(s, day('2019-01-01'), day('2020-01-01'), DEFAULT_GROUPS_5)).rejects.toThrow(
      'No customer had ordered before 2020-01-01, so there is no movement to show; choose a later --to.',
    );
  });

  it('words every branch of the warnings', () => {
    const at = day('2024-04-01');
    expect(() => rfmWarnings(spread({ n: 0 }), 5, at)).toThrow(/nothing to score/);
    expect(rfmWarnings(spread({ n: 1, recency_values: 1, frequency_values: 1, monetary_values: 1 }), 3, at)).toEqual([
      'Only one customer is scored: with no one to compare with, every score is the middle one (2).',
    ]);
    expect(rfmWarnings(spread({ n: 4 }), 5, at)).toEqual([
      'Only 4 customers are scored: RFM ranks customers against each other, so 4 cannot fill 5 bins and the scores say little.',
    ]);
    expect(rfmWarnings(spread({ n: 4 }), 3, at)).toEqual([]);
    expect(
      rfmWarnings(spread({ recency_values: 1, recency: 1, frequency_values: 1, frequency: 2, monetary_values: 1, monetary: 1234.5 }), 5, at),
    ).toEqual([
      'Every scored customer has the same recency (1 day), so R is the middle score (3) for everyone and separates no one.',
      'Every scored customer has the same frequency (2 orders), so F is the middle score (3) for everyone and separates no one.',
      'Every scored customer has the same monetary value (1,234.50), so M is the middle score (3) for everyone and separates no one.',
    ]);
    expect(rfmWarnings(spread({ recency_values: 1, recency: 0 }), 5, at)).toEqual([
      'Every scored customer has the same recency (0 days), so R is the middle score (3) for everyone and separates no one.',
    ]);
  });
});
