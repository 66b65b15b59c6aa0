import { describe, expect, it } from 'vitest';
import { fitClv } from '../../../src/predict/clv/fit/fit-report.js';
import { fitPurchases, MIN_CUSTOMERS } from '../../../src/predict/clv/fit/fit-purchases.js';
import { compareHoldout } from '../../../src/predict/clv/validate.js';
import { purchaseModel } from '../../../src/predict/clv/purchase-model.js';
import { SegmintError } from '../../../src/domain/errors.js';
import { seededRandom } from '../../../src/numeric/random.js';
import { simulateBgNbd } from './simulate.js';

const TRUTH = { r: 0.5, alpha: 6, a: 0.7, b: 2.5 };

describe('BG/NBD on data drawn from BG/NBD (independent of any published number)', () => {
  it('recovers the true parameters within 3 standard errors, and predicts the simulated holdout', () => {
    const data = simulateBgNbd(seededRandom(2024), 4000, TRUTH, 20, 52, 39);
    const fit = fitPurchases('bg-nbd', data, seededRandom(1));
    expect(fit.convergence.converged).toBe(true);
    for (const [name, truth] of Object.entries(TRUTH)) {
      const est = (fit.fitted.params as unknown as Record<string, number>)[name] as number;
      const se = fit.standardErrors[name] as number;
      expect(Math.abs(est - truth)).toBeLessThan(3 * se);
    }
    const holdout = compareHoldout(purchaseModel(fit.fitted), data, 39);
    expect(Math.abs(holdout.total_error.model!)).toBeLessThan(0.05);
    expect(holdout.mean_absolute_error.model).toBeLessThan(holdout.mean_absolute_error.naive);
  });
});

describe('small shops', () => {
  it('fits 60 customers with a warning, intervals, and an explanation where a parameter is not identified', () => {
    const data = simulateBgNbd(seededRandom(8), 60, TRUTH, 20, 52);
    const { report } = fitClv('bg-nbd', data);
    expect(report.customers).toBe(60);
    expect(report.warnings.some((w) => w.includes('Small customer base'))).toBe(true);
    for (const name of ['r', 'alpha']) {
      const [lo, hi] = report.intervals_95[name] as [number, number];
      const est = report.params[name] as number;
      expect(lo).toBeLessThan(est);
      expect(hi).toBeGreaterThan(est);
      expect(hi / lo).toBeGreaterThan(2); // 60 customers: wide
    }
    // This sample has no visible spread in drop-out: b runs to the edge, which the report explains.
    expect(report.convergence.at_bound).toContain('b');
    expect(report.warnings.some((w) => w.includes('share one drop-out probability'))).toBe(true);
    // No spend in this data: the spend model is skipped with a reason, not an error.
    expect(report.spend).toBeNull();
    expect(report.warnings.some((w) => w.includes('Spend model not fitted'))).toBe(true);
  });

  it(`refuses fewer than ${MIN_CUSTOMERS} customers, and a base without repeat buyers, saying why`, () => {
    const few = simulateBgNbd(seededRandom(8), 49, TRUTH, 20, 52);
    expect(() => fitPurchases('bg-nbd', few, seededRandom(1))).toThrow(/49 customer\(s\).*at least 50/);
    const none = { ...few, x: new Float64Array(200), tx: new Float64Array(200), T: new Float64Array(200).fill(10), ids: [] };
    try {
      fitPurchases('pareto-nbd', none, seededRandom(1));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SegmintError);
      expect((e as SegmintError).code).toBe('clv_no_repeat_buyers');
    }
  });
});
