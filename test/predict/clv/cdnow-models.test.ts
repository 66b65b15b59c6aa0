import { beforeAll, describe, expect, it } from 'vitest';
import { bgNbdConditionalExpected } from '../../../src/predict/clv/bg-nbd/conditional-expected.js';
import { bgNbdExpected } from '../../../src/predict/clv/bg-nbd/expected.js';
import { bgNbdPAlive } from '../../../src/predict/clv/bg-nbd/p-alive.js';
import { fitPurchases, type PurchaseFit } from '../../../src/predict/clv/fit/fit-purchases.js';
import { fitSpend, type SpendFit } from '../../../src/predict/clv/fit/fit-spend.js';
import { gammaGammaConditionalMean } from '../../../src/predict/clv/gamma-gamma/conditional-mean.js';
import { readSummaryCsv } from '../../../src/predict/clv/summary-csv.js';
import type { Summaries } from '../../../src/predict/clv/summary.js';
import { seededRandom } from '../../../src/numeric/random.js';
import { purchaseModel } from '../../../src/predict/clv/purchase-model.js';
import { compareHoldout } from '../../../src/predict/clv/validate.js';
import { sharedFile, skipWithoutShared } from '../../helpers/shared-data.js';

const summaryFile = sharedFile('cdnow-summary-full-precision.csv');
const spendFile = sharedFile('cdnow-summary-mean-repeat-spend.csv');
const missing = !summaryFile || !spendFile;
if (missing) console.log(skipWithoutShared('cdnow-summary-full-precision.csv / cdnow-summary-mean-repeat-spend.csv'));

/** Within a relative tolerance of a published figure. */
const near = (actual: number, published: number, rel: number) => expect(Math.abs(actual / published - 1)).toBeLessThan(rel);

// The published BG/NBD estimates (Fader, Hardie & Lee 2005) for the individual predictions.
const BG = { r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 };

describe.skipIf(missing)('CDNOW summaries (published numbers, ../shared/data/README.md)', () => {
  let data: Summaries;
  let bg: PurchaseFit;
  let pareto: PurchaseFit;
  let spend: SpendFit;
  beforeAll(() => {
    data = readSummaryCsv(summaryFile as string, spendFile);
    bg = fitPurchases('bg-nbd', data, seededRandom(1));
    pareto = fitPurchases('pareto-nbd', data, seededRandom(1));
    spend = fitSpend(data, seededRandom(1)).fit as SpendFit;
  });

  it('BG/NBD: r 0.2426, α 4.4137, a 0.7930, b 2.4262 (1%), LL −9582.43 (±0.1)', () => {
    expect(bg.fitted.model).toBe('bg-nbd');
    const p = bg.fitted.params as typeof BG;
    near(p.r, 0.2426, 0.01);
    near(p.alpha, 4.4137, 0.01);
    near(p.a, 0.793, 0.01);
    near(p.b, 2.4262, 0.01);
    expect(Math.abs(bg.logLikelihood - -9582.43)).toBeLessThan(0.1);
    expect(bg.convergence.converged).toBe(true);
    expect(bg.customers).toBe(2357);
    expect(bg.repeatBuyers).toBe(946);
    for (const se of Object.values(bg.standardErrors)) expect(se).toBeGreaterThan(0);
  });

  it('days instead of weeks: α 7× larger, r, a, b unchanged, LL shifted by −Σx·ln 7', () => {
    const days = { ...data, tx: data.tx.map((v) => v * 7), T: data.T.map((v) => v * 7) };
    const f = fitPurchases('bg-nbd', days, seededRandom(1));
    const w = bg.fitted.params as typeof BG;
    const d = f.fitted.params as typeof BG;
    near(d.alpha, 7 * w.alpha, 0.002);
    near(d.r, w.r, 0.002);
    near(d.a, w.a, 0.002);
    near(d.b, w.b, 0.002);
    expect(f.logLikelihood - bg.logLikelihood).toBeCloseTo(-2457 * Math.log(7), 3);
  });

  it('Pareto/NBD: r 0.5534, α 10.5802, s 0.6061, β 11.6562 (2%), LL −9594.98 (±0.1)', () => {
    const p = pareto.fitted.params as { r: number; alpha: number; s: number; beta: number };
    near(p.r, 0.5534, 0.02);
    near(p.alpha, 10.5802, 0.02);
    near(p.s, 0.6061, 0.02);
    near(p.beta, 11.6562, 0.02);
    expect(Math.abs(pareto.logLikelihood - -9594.98)).toBeLessThan(0.1);
    expect(pareto.convergence.converged).toBe(true);
  });

  it('Gamma-Gamma: p 6.25, q 3.74, γ 15.44 (1%), LL −4055.92, on 946 repeat buyers, independence checked', () => {
    near(spend.params.p, 6.25, 0.01);
    near(spend.params.q, 3.74, 0.01);
    near(spend.params.gamma, 15.44, 0.01);
    expect(Math.abs(spend.logLikelihood - -4055.92)).toBeLessThan(0.1);
    expect(spend.customers).toBe(946);
    // CDNOW's frequency–spend correlation is weak (≈ 0.11), so no warning.
    expect(Math.abs(spend.frequencySpendCorrelation)).toBeLessThan(0.2);
    expect(spend.warnings).toEqual([]);
  });

  it('holdout: the file\'s x.star totals 1,882; BG/NBD expects ~1,653 and beats the naive baseline', () => {
    const h = compareHoldout(purchaseModel(bg.fitted), data, 39);
    expect(h.totals.actual).toBe(1882);
    expect(h.totals.model).toBeCloseTo(1653.4, 0);
    expect(h.mean_absolute_error.model).toBeLessThan(h.mean_absolute_error.naive);
    expect(h.by_frequency[0]).toMatchObject({ x: '0', customers: 1411, actual: 334 });
  });

  it('Gamma-Gamma expected mean spend of customers 1..5: 24.65, 18.91, 35.17, 35.17, 35.17', () => {
    const published = [24.65, 18.91, 35.17, 35.17, 35.17];
    published.forEach((v, i) => {
      const x = data.x[i] as number;
      const m = x > 0 ? (data.mx[i] as number) : 0;
      expect(gammaGammaConditionalMean(spend.params, x, m)).toBeCloseTo(v, 1);
    });
  });
});

describe('BG/NBD individual predictions with the published parameters', () => {
  it('E[X(t)] of a new customer: t=1 → 0.0532, 3 → 0.1506, 52 → 1.4440, 78 → 1.8576', () => {
    expect(bgNbdExpected(BG, 1)).toBeCloseTo(0.0532, 4);
    expect(bgNbdExpected(BG, 3)).toBeCloseTo(0.1506, 4);
    expect(bgNbdExpected(BG, 52)).toBeCloseTo(1.444, 3);
    expect(bgNbdExpected(BG, 78)).toBeCloseTo(1.8576, 3);
  });

  it('x=2, tₓ=30.43, T=38.86: 1.226 purchases expected in the next 39 weeks', () => {
    expect(bgNbdConditionalExpected(BG, { x: 2, tx: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 3);
  });

  it('x=26, tₓ=30.857, T=31: 25.757 purchases in the next 52 weeks, P(alive) 0.9689', () => {
    const c = { x: 26, tx: 30.857, T: 31 };
    expect(bgNbdConditionalExpected(BG, c, 52)).toBeCloseTo(25.757, 2);
    // 0.96885 with the 4-digit published parameters: the published figure is rounded.
    expect(Math.abs(bgNbdPAlive(BG, c) - 0.9689)).toBeLessThan(1e-4);
  });
});
