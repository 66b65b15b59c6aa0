import { describe, expect, it } from 'vitest';
import { bgNbdGradient } from '../../../src/predict/clv/bg-nbd/gradient.js';
import { bgNbdLogLikelihood } from '../../../src/predict/clv/bg-nbd/log-likelihood.js';
import { discountedPurchases } from '../../../src/predict/clv/discounted-purchases.js';
import { gammaGammaGradient } from '../../../src/predict/clv/gamma-gamma/gradient.js';
import { gammaGammaLogLikelihood } from '../../../src/predict/clv/gamma-gamma/log-likelihood.js';
import type { PurchaseParams } from '../../../src/predict/clv/models.js';
import { purchaseModel } from '../../../src/predict/clv/purchase-model.js';
import { numericGradient } from '../../../src/predict/optim/gradient.js';
import { seededRandom } from '../../../src/numeric/random.js';
import { simulateBgNbd } from './simulate.js';

const BG: PurchaseParams = { model: 'bg-nbd', params: { r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 } };
const PARETO: PurchaseParams = { model: 'pareto-nbd', params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 } };
const MODELS = [BG, PARETO];
const customers = [
  { x: 0, tx: 0, T: 38.86 },
  { x: 2, tx: 30.43, T: 38.86 },
  { x: 26, tx: 30.857, T: 31 },
  { x: 5, tx: 3, T: 70 },
];

describe('analytic gradients against central differences', () => {
  const data = simulateBgNbd(seededRandom(3), 400, { r: 0.3, alpha: 5, a: 0.8, b: 2.5 }, 20, 40);
  it('BG/NBD', () => {
    const at = [0.31, 4.7, 0.9, 2.2];
    const ll = (v: readonly number[]) => bgNbdLogLikelihood({ r: v[0] as number, alpha: v[1] as number, a: v[2] as number, b: v[3] as number }, data);
    const analytic = bgNbdGradient({ r: 0.31, alpha: 4.7, a: 0.9, b: 2.2 }, data);
    const numeric = numericGradient(ll, at, 1e-6);
    analytic.forEach((g, i) => expect(g).toBeCloseTo(numeric[i] as number, 3));
  });
  it('Gamma-Gamma', () => {
    const random = seededRandom(5);
    const x = Float64Array.from({ length: 300 }, () => 1 + Math.floor(random() * 10));
    const mx = Float64Array.from({ length: 300 }, () => 5 + 60 * random());
    const ll = (v: readonly number[]) => gammaGammaLogLikelihood({ p: v[0] as number, q: v[1] as number, gamma: v[2] as number }, { x, mx });
    const analytic = gammaGammaGradient({ p: 5, q: 3.5, gamma: 14 }, { x, mx });
    const numeric = numericGradient(ll, [5, 3.5, 14], 1e-6);
    analytic.forEach((g, i) => expect(g).toBeCloseTo(numeric[i] as number, 3));
  });
});

describe.each(MODELS)('$model predictions', (fitted) => {
  const m = purchaseModel(fitted);
  it('a customer seen for no time at all expects what a new customer expects: E[Y(t)|0,0,0] = E[X(t)]', () => {
    for (const t of [1, 13, 52, 200]) expect(m.conditionalExpected({ x: 0, tx: 0, T: 0 }, t) / m.expected(t)).toBeCloseTo(1, 9);
  });
  it('P(alive) falls with a longer silence and rises with a later last purchase', () => {
    const c = { x: 4, tx: 10, T: 20 };
    expect(m.pAlive({ ...c, T: 40 })).toBeLessThan(m.pAlive(c));
    expect(m.pAlive({ ...c, tx: 15 })).toBeGreaterThan(m.pAlive(c));
    expect(m.pAlive({ ...c, T: 1e6 })).toBeLessThan(1e-6);
    for (const k of customers) {
      expect(m.pAlive(k)).toBeGreaterThan(0);
      expect(m.pAlive(k)).toBeLessThanOrEqual(1);
    }
  });
  it('P(buying within t) rises with t, never above P(alive), and P(buying within the median) = ½', () => {
    for (const c of customers) {
      const P = (t: number) => m.purchaseProbability(c, t);
      expect(P(10)).toBeLessThan(P(20));
      expect(P(1e30)).toBeLessThanOrEqual(m.pAlive(c) + 1e-12);
      expect(P(1e30)).toBeCloseTo(P(Infinity), 6);
      // BG/NBD: an active customer buys eventually; Pareto/NBD: only if the purchase clock beats the death clock.
      if (fitted.model === 'bg-nbd') expect(P(Infinity)).toBeCloseTo(m.pAlive(c), 12);
      else expect(P(Infinity)).toBeLessThan(m.pAlive(c));
      const median = m.medianTimeToNext(c);
      if (m.pAlive(c) > 0.5) {
        expect(P(median as number)).toBeCloseTo(0.5, 5);
        // The closed form (BG/NBD) or Newton (Pareto/NBD) against plain bisection on P.
        let lo = 0;
        let hi = 1;
        while (P(hi) < 0.5) hi *= 2;
        for (let k = 0; k < 200; k++) {
          const mid = (lo + hi) / 2;
          if (P(mid) >= 0.5) hi = mid;
          else lo = mid;
        }
        expect(hi / (median as number)).toBeCloseTo(1, 8);
      } else expect(median).toBeUndefined();
    }
  });
  it('expected purchases grow with the horizon; discounting at 0% changes nothing and at 10% lowers them', () => {
    for (const c of customers) {
      expect(m.conditionalExpected(c, 52)).toBeGreaterThan(m.conditionalExpected(c, 26));
      const byDay = (days: number) => m.conditionalExpected(c, days / 7);
      const undiscounted = discountedPurchases(byDay, 365, 0);
      expect(undiscounted).toBeCloseTo(m.conditionalExpected(c, 365 / 7), 10);
      const discounted = discountedPurchases(byDay, 365, 0.1);
      expect(discounted).toBeLessThan(undiscounted);
      // A purchase a year away is worth 1/1.1: the whole year's discount is between that and none.
      expect(discounted).toBeGreaterThan(undiscounted / 1.1);
    }
  });
});

describe('BG/NBD specifics', () => {
  const m = purchaseModel(BG);
  it('a customer without repeat purchases is alive with probability 1 (drop-out follows a purchase)', () => {
    expect(m.pAlive({ x: 0, tx: 0, T: 100 })).toBe(1);
  });
  it('a = 1 (removable singularity) gives the limit of its neighbours', () => {
    const near = (a: number) => purchaseModel({ model: 'bg-nbd', params: { ...BG.params, a } as never }).expected(10);
    expect(near(1)).toBeCloseTo((near(0.999) + near(1.001)) / 2, 5);
  });
});
