import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHURN_RISKS } from '../../../src/predict/clv/churn-risk.js';
import type { PurchaseParams } from '../../../src/predict/clv/models.js';
import { predictBase } from '../../../src/predict/clv/predict-base.js';
import { predictCustomer } from '../../../src/predict/clv/predict-customer.js';
import { purchaseModel } from '../../../src/predict/clv/purchase-model.js';
import type { Summaries } from '../../../src/predict/clv/summary.js';
import { seededRandom } from '../../../src/numeric/random.js';
import { simulateBgNbd } from './simulate.js';

// Whole-week times, so many customers share (x, tₓ, T) and (x, T) and the sharing is exercised.
const sim = simulateBgNbd(seededRandom(5), 500, { r: 0.5, alpha: 6, a: 0.8, b: 2.5 }, 5, 60);
const random = seededRandom(6);
const base: Summaries = {
  ...sim,
  ids: sim.x.length ? Array.from(sim.x, (_, i) => `c${i}`) : [],
  tx: sim.tx.map((v, i) => ((sim.x[i] as number) > 0 ? Math.round(v) : 0)),
  T: sim.T.map(Math.ceil),
  mx: sim.x.map((x) => (x > 0 && random() < 0.9 ? 5 + 80 * random() : NaN)),
};
const MODELS: PurchaseParams[] = [
  { model: 'bg-nbd', params: { r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 } },
  { model: 'pareto-nbd', params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 } },
];
const SPEND = { p: 6.25, q: 3.74, gamma: 15.44 };

describe.each(MODELS)('$model: the base at once equals customer by customer', (fitted) => {
  it.each([
    { spend: SPEND, horizonDays: 365 },
    { spend: SPEND, horizonDays: 200 },
    { spend: undefined, horizonDays: 365 },
  ])('to the last bit (spend model: $spend, horizon $horizonDays days)', ({ spend, horizonDays }) => {
    const model = purchaseModel(fitted);
    const s = { unitDays: 7, horizonDays, annualDiscount: 0.1, asOf: new Date('2024-01-01T00:00:00Z') };
    const all = predictBase(model, spend, base, s);
    expect(all.size).toBe(500);
    for (let i = 0; i < base.x.length; i++) {
      const one = predictCustomer(model, spend, { x: base.x[i]!, tx: base.tx[i]!, T: base.T[i]! }, base.mx[i]!, s);
      expect(all.expectedPurchases90d[i]).toBe(one.expectedPurchases90d);
      expect(all.expectedPurchasesHorizon[i]).toBe(one.expectedPurchasesHorizon);
      expect(all.pAlive[i]).toBe(one.pAlive);
      expect(all.churnProbability[i]).toBe(one.churnProbability);
      expect(CHURN_RISKS[all.churnRisk[i]!]).toBe(one.churnRisk);
      expect(all.hasSpend[i] ? all.expectedSpend[i] : null).toBe(one.expectedSpend);
      expect(all.hasSpend[i] ? all.predictedClv[i] : null).toBe(one.predictedClv);
      expect(all.hasSpend[i] ? all.predictedClv365d[i] : null).toBe(one.predictedClv365d);
      expect(Number.isNaN(all.nextOrderMs[i]) ? null : new Date(all.nextOrderMs[i]!)).toEqual(one.nextOrderAt);
    }
  });
});

describe('on random bases and fits', () => {
  // Times on a coarse grid (many shared triples and (x, T) points) or free (nearly all distinct), spend
  // means missing, zero or negative as well as positive, and every model with and without a spend model.
  const history = fc
    .record({ x: fc.integer({ min: 0, max: 12 }), T: fc.integer({ min: 0, max: 80 }), share: fc.double({ min: 0, max: 1, noNaN: true }) })
    .map(({ x, T, share }) => ({ x, T, tx: x > 0 ? Math.round(T * share) : 0 }));
  const base = fc.record({
    customers: fc.array(fc.tuple(history, fc.oneof(fc.constant(NaN), fc.constant(0), fc.constant(-3), fc.double({ min: 0.5, max: 500, noNaN: true }))), {
      minLength: 1,
      maxLength: 60,
    }),
    unitDays: fc.constantFrom(1, 7, 30.4375),
    coarse: fc.boolean(),
  });
  const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true });
  const fit = fc.oneof(
    fc.record({ r: positive(0.05, 5), alpha: positive(0.5, 50), a: positive(0.05, 5), b: positive(0.05, 10) }).map((params): PurchaseParams => ({ model: 'bg-nbd', params })),
    fc.record({ r: positive(0.05, 5), alpha: positive(0.5, 50), s: positive(0.05, 5), beta: positive(0.5, 50) }).map((params): PurchaseParams => ({ model: 'pareto-nbd', params })),
  );

  it('predictBase equals predictCustomer customer by customer, to the last bit', () => {
    fc.assert(
      fc.property(base, fit, fc.boolean(), fc.constantFrom(90, 365, 500), ({ customers, unitDays, coarse }, fitted, withSpend, horizonDays) => {
        const scale = (v: number) => (coarse ? v : v + ((v * 7919) % 13) / 17);
        const d: Summaries = {
          ids: customers.map((_, i) => `c${i}`),
          x: Float64Array.from(customers, ([c]) => c.x),
          tx: Float64Array.from(customers, ([c]) => scale(c.tx)),
          T: Float64Array.from(customers, ([c]) => Math.max(scale(c.T), scale(c.tx))),
          mx: Float64Array.from(customers, ([, m]) => m),
          xStar: new Float64Array(customers.length),
        };
        const model = purchaseModel(fitted);
        const spend = withSpend ? SPEND : undefined;
        const s = { unitDays, horizonDays, annualDiscount: 0.1, asOf: new Date('2024-01-01T00:00:00Z') };
        const all = predictBase(model, spend, d, s);
        for (let i = 0; i < customers.length; i++) {
          const one = predictCustomer(model, spend, { x: d.x[i]!, tx: d.tx[i]!, T: d.T[i]! }, d.mx[i]!, s);
          expect([
            all.expectedPurchases90d[i],
            all.expectedPurchasesHorizon[i],
            all.pAlive[i],
            all.churnProbability[i],
            CHURN_RISKS[all.churnRisk[i]!],
            all.hasSpend[i] ? all.expectedSpend[i] : null,
            all.hasSpend[i] ? all.predictedClv[i] : null,
            all.hasSpend[i] ? all.predictedClv365d[i] : null,
            Number.isNaN(all.nextOrderMs[i]) ? null : new Date(all.nextOrderMs[i]!).getTime(),
          ]).toEqual([
            one.expectedPurchases90d,
            one.expectedPurchasesHorizon,
            one.pAlive,
            one.churnProbability,
            one.churnRisk,
            one.expectedSpend,
            one.predictedClv,
            one.predictedClv365d,
            one.nextOrderAt?.getTime() ?? null,
          ]);
        }
      }),
      { numRuns: 60, seed: 15 },
    );
  });
});
