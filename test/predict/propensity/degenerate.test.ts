import { describe, expect, it } from 'vitest';
import { outcomeWarnings, rankingMetrics, rankingWarnings } from '../../../src/predict/propensity/ranking-metrics.js';
import { CHURN_90D, purchaseTarget } from '../../../src/predict/propensity/targets.js';
import { fitTargetAt, trainPropensity } from '../../../src/predict/propensity/train.js';
import { insertOrders } from '../../fixtures/predict/shop.js';
import { storePerTest } from '../../helpers/store.js';

const order = (customerId: string, day: string, k = 0) => ({ orderId: `${customerId}-${k}`, customerId, placedAt: new Date(`${day}T12:00:00Z`), products: ['p'] });

describe('propensity on degenerate inputs', () => {
  const store = storePerTest();

  it('an empty store and a single customer are refused with a sentence', async () => {
    const s = await store();
    await expect(trainPropensity(s)).rejects.toMatchObject({ code: 'no_orders' });
    await insertOrders(s, [order('solo', '2024-01-01'), order('solo', '2024-03-01', 1)]);
    await expect(trainPropensity(s)).rejects.toThrow(/^Only 1 customer had ordered by 2024-01-31; a propensity model needs at least 10\.$/);
  });

  it('a label window where nobody (or everybody) bought is refused: nothing tells buyers from non-buyers', async () => {
    const s = await store();
    // 12 customers in January; nobody orders again until one order in June
    await insertOrders(s, [...Array.from({ length: 12 }, (_, i) => order(`c${i}`, `2024-01-${String(i + 1).padStart(2, '0')}`)), order('c0', '2024-06-30', 1)]);
    const last = new Date('2024-06-30T12:00:00Z');
    await expect(fitTargetAt(s, purchaseTarget(30), new Date('2024-02-01T00:00:00Z'), last)).rejects.toThrow(
      'Cannot train purchase_30d at cutoff 2024-02-01: None of the 12 customers who had ordered by then ordered in the 30 days after it, so there is nothing to tell buyers from non-buyers. Choose another --cutoff or a longer --horizon.',
    );
    // A horizon of one day reads "1 day", as every count with its noun (countOf).
    await expect(fitTargetAt(s, purchaseTarget(1), new Date('2024-02-01T00:00:00Z'), last)).rejects.toThrow(/ordered in the 1 day after it,/);
    await expect(fitTargetAt(s, CHURN_90D, new Date('2024-02-01T00:00:00Z'), last)).rejects.toMatchObject({
      code: 'one_outcome_only',
      message: expect.stringContaining('nothing to tell churners from returning customers. Choose another --cutoff.'),
    });
  });

  it('all-equal scores: AUC ½ and the base rate, with a warning that the ranking ranks no one', () => {
    const y = [1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    const flat = new Array(10).fill(0.2);
    expect(rankingMetrics(flat, y)).toEqual({ auc: 0.5, precisionTop10: 0.2 });
    expect(rankingWarnings('The model', flat)).toEqual([
      'The model gives all 10 test customers the same score, so it ranks no one: its AUC of 0.5 and its precision (the base rate) say nothing.',
    ]);
    expect(rankingWarnings('Recency', [1, 2, 2])).toEqual([]);
    expect(rankingWarnings('Recency', [])).toEqual([]);
  });

  it('a test window with one outcome only: AUC undefined, said once', () => {
    expect(Number.isNaN(rankingMetrics([0.1, 0.9], [0, 0]).auc)).toBe(true);
    expect(outcomeWarnings('ordered within 30 days', [0, 0, 0])).toEqual([
      'In the test window none of the 3 customers ordered within 30 days, so no ranking has an AUC (shown as n/a).',
    ]);
    expect(outcomeWarnings('went 90 days without an order', [1, 1])).toEqual([
      'In the test window every one of the 2 customers went 90 days without an order, so no ranking has an AUC (shown as n/a).',
    ]);
    expect(outcomeWarnings('ordered within 30 days', [0, 1])).toEqual([]);
    expect(outcomeWarnings('ordered within 30 days', [])).toEqual([]);
  });
});
