import { describe, expect, it } from 'vitest';
import { bgNbdLogLikelihood } from '../../../src/predict/clv/bg-nbd/log-likelihood.js';
import { bgNbdValueAndGradient } from '../../../src/predict/clv/bg-nbd/value-and-gradient.js';
import { distinctValues, groupSummaries } from '../../../src/predict/clv/summary-groups.js';
import { gammaGammaLogLikelihood } from '../../../src/predict/clv/gamma-gamma/log-likelihood.js';
import { gammaGammaValueAndGradient, spendRows } from '../../../src/predict/clv/gamma-gamma/value-and-gradient.js';
import { logHyp2f1 } from '../../../src/predict/clv/hyp2f1.js';
import { paretoNbdLogLikelihood, type ParetoNbdParams } from '../../../src/predict/clv/pareto-nbd/log-likelihood.js';
import { paretoTailTerm } from '../../../src/predict/clv/pareto-nbd/tail-term.js';
import { paretoNbdValueAndGradient } from '../../../src/predict/clv/pareto-nbd/value-and-gradient.js';
import { logPowerIntegralQuadrature } from '../../../src/predict/clv/power-integral-quadrature.js';
import { SERIES_LIMIT } from '../../../src/predict/clv/power-integral.js';
import type { Summaries } from '../../../src/predict/clv/summary.js';
import { bfgsMinimise } from '../../../src/predict/optim/bfgs.js';
import { numericGradient } from '../../../src/predict/optim/gradient.js';
import { maximiseLogLikelihood } from '../../../src/predict/optim/maximise.js';
import { seededRandom } from '../../../src/numeric/random.js';
import { simulateBgNbd } from './simulate.js';

// One simulated base for every check: 600 customers, with repeated (x, tₓ, T) triples (whole-week times)
// so the grouping has something to group, plus heavy buyers and a customer whose last purchase is at T.
const base = simulateBgNbd(seededRandom(31), 600, { r: 0.4, alpha: 6, a: 0.7, b: 2.5 }, 10, 40);
const data: Summaries = {
  ...base,
  x: Float64Array.of(...base.x, 40, 40, 0),
  tx: Float64Array.of(...base.tx.map(Math.round), 29, 29, 0),
  T: Float64Array.of(...base.T.map(Math.ceil), 30, 30, 12),
  mx: new Float64Array(603).fill(NaN),
  xStar: new Float64Array(603).fill(NaN),
};
for (let i = 0; i < data.x.length; i++) if ((data.x[i] as number) === 0) data.tx[i] = 0;
const rows = groupSummaries(data);

/** |a − b| relative to max(1, |b|). */
const close = (a: number, b: number, tol: number) => expect(Math.abs(a - b) / Math.max(1, Math.abs(b))).toBeLessThan(tol);

describe('customers grouped by (x, tₓ, T)', () => {
  it('keeps every customer once, in rows of distinct triples', () => {
    expect(rows.customers).toBe(603);
    expect(rows.size).toBeLessThan(603);
    const seen = new Set<string>();
    for (let i = 0; i < rows.size; i++) {
      const key = [rows.xValues[rows.xIndex[i]!], rows.txValues[rows.txIndex[i]!], rows.tValues[rows.tIndex[i]!]].join('|');
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      expect(rows.pointX[rows.txPoint[i]!]).toBe(rows.xValues[rows.xIndex[i]!]);
      expect(rows.pointY[rows.tPoint[i]!]).toBe(rows.tValues[rows.tIndex[i]!]);
    }
    // Weights already present (a grouped summary grouped again) are summed, not reset to 1.
    const twice = groupSummaries({ ...data, weight: new Float64Array(603).fill(2) });
    expect(twice.customers).toBe(1206);
    expect(twice.size).toBe(rows.size);
  });
});

describe('BG/NBD value and gradient in one pass', () => {
  const at = [
    { r: 0.4, alpha: 6, a: 0.7, b: 2.5 },
    { r: 2, alpha: 0.5, a: 3, b: 0.3 },
    { r: 0.05, alpha: 90, a: 0.1, b: 40 },
  ];
  it.each(at)('equals the per-customer log-likelihood and its central differences at %o', (p) => {
    const f = bgNbdValueAndGradient(p, rows);
    close(f.value, bgNbdLogLikelihood(p, data), 1e-12);
    const v = [p.r, p.alpha, p.a, p.b];
    const numeric = numericGradient((u) => bgNbdLogLikelihood({ r: u[0]!, alpha: u[1]!, a: u[2]!, b: u[3]! }, data), v, 1e-6);
    f.gradient.forEach((g, i) => close(g, numeric[i]!, 1e-5));
  });
  it('is undefined (NaN) outside the parameter space', () => {
    expect(bgNbdValueAndGradient({ r: 0, alpha: 1, a: 1, b: 1 }, rows).value).toBeNaN();
  });
});

describe('Pareto/NBD value and gradient in one pass', () => {
  const at: ParetoNbdParams[] = [
    { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 }, // α < β: K = r + x
    { r: 0.6, alpha: 11.6, s: 0.52, beta: 8.8 }, // α > β: K = s + 1
    { r: 0.5, alpha: 7, s: 0.8, beta: 7 }, // α = β: the series argument is 0
    { r: 1.5, alpha: 400, s: 0.3, beta: 0.5 }, // argument past SERIES_LIMIT: quadrature rows
    { r: 0.2, alpha: 0.3, s: 2, beta: 250 }, // the same with β the larger
  ];
  it.each(at)('equals paretoNbdLogLikelihood and its central differences at %o', (p) => {
    const f = paretoNbdValueAndGradient(p, rows);
    close(f.value, paretoNbdLogLikelihood(p, data), 1e-11);
    const v = [p.r, p.alpha, p.s, p.beta];
    const numeric = numericGradient((u) => paretoNbdLogLikelihood({ r: u[0]!, alpha: u[1]!, s: u[2]!, beta: u[3]! }, data), v, 1e-6);
    f.gradient.forEach((g, i) => close(g, numeric[i]!, 1e-5));
  });

  it('the tail term equals (m+y)^−e ₂F₁(e, K; e+1; z) and its own central differences, heavy buyers included', () => {
    const out = new Float64Array(5);
    const probe = new Float64Array(5);
    const cases: [number, number, number, number, number, number][] = [
      [0.55, 10.6, 0.61, 11.7, 0, 0],
      [0.6, 11.6, 0.52, 8.8, 3, 20],
      [0.4, 1, 0.9, 30, 300, 1], // K = r + x = 300.4 with z ≈ 0.94: terms far past 1e200, rescaled
      [0.4, 30, 0.9, 1, 5, 2],
    ];
    for (const [r, alpha, s, beta, x, y] of cases) {
      paretoTailTerm(r, alpha, s, beta, x, y, out, 0);
      const e = r + s + x;
      const m = Math.max(alpha, beta);
      const K = alpha >= beta ? s + 1 : r + x;
      const z = Math.abs(alpha - beta) / (m + y);
      expect(z).toBeLessThanOrEqual(SERIES_LIMIT);
      close(out[0]!, logHyp2f1(e, K, e + 1, z) - e * Math.log(m + y), 1e-12);
      const v = [r, alpha, s, beta];
      for (let j = 0; j < 4; j++) {
        const h = 1e-6 * v[j]!;
        const up = v.slice();
        const down = v.slice();
        up[j]! += h;
        down[j]! -= h;
        paretoTailTerm(up[0]!, up[1]!, up[2]!, up[3]!, x, y, probe, 0);
        const fUp = probe[0]!;
        paretoTailTerm(down[0]!, down[1]!, down[2]!, down[3]!, x, y, probe, 0);
        close(out[1 + j]!, (fUp - probe[0]!) / (2 * h), 1e-6);
      }
    }
  });

  it('the quadrature route gives the derivatives of its log integral', () => {
    const gradient = new Float64Array(4);
    const [alpha, A, beta, B, y0, y1] = [900, 2.4, 0.7, 1.6, 1, 35];
    const value = logPowerIntegralQuadrature(alpha, A, beta, B, y0, y1, gradient);
    expect(value).toBe(logPowerIntegralQuadrature(alpha, A, beta, B, y0, y1));
    const numeric = numericGradient((u) => logPowerIntegralQuadrature(u[2]!, u[0]!, u[3]!, u[1]!, y0, y1), [A, B, alpha, beta], 1e-6);
    gradient.forEach((g, i) => close(g, numeric[i]!, 1e-6));
  });
});

describe('the quasi-Newton search', () => {
  it('holds a coordinate at the side of its box and converges on the others', () => {
    // min (x−3)² + (y+1)² over x ≤ 1: the answer is (1, −1), with x held at its side.
    const r = bfgsMinimise(
      ([x, y]) => ({ value: (x! - 3) ** 2 + (y! + 1) ** 2, gradient: [2 * (x! - 3), 2 * (y! + 1)] }),
      [0, 5],
      { lower: [-10, -10], upper: [1, 10], gradientTolerance: 1e-10 },
    );
    expect(r.x[0]).toBe(1);
    expect(r.x[1]).toBeCloseTo(-1, 9);
    expect(r.gradientNorm).toBeLessThan(1e-9);
  });

  it('an analytic gradient finds the same optimum and errors as the derivative-free search', () => {
    const random = seededRandom(42);
    const xs = Array.from({ length: 2000 }, () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()) * 2 + 10);
    const ll = ([mu, sigma]: readonly number[]) => xs.reduce((s, x) => s - Math.log(sigma!) - (x - mu!) ** 2 / (2 * sigma! ** 2), 0);
    const gradient = ([mu, sigma]: readonly number[]) => [
      xs.reduce((s, x) => s + (x - mu!) / sigma! ** 2, 0),
      xs.reduce((s, x) => s - 1 / sigma! + (x - mu!) ** 2 / sigma! ** 3, 0),
    ];
    const plain = maximiseLogLikelihood(ll, { start: [5, 1], random: seededRandom(1) });
    const withGradient = maximiseLogLikelihood(ll, { start: [5, 1], random: seededRandom(1), gradient });
    expect(withGradient.convergence.converged).toBe(true);
    expect(withGradient.convergence.evaluations).toBeLessThan(plain.convergence.evaluations / 3);
    withGradient.params.forEach((v, i) => expect(v).toBeCloseTo(plain.params[i]!, 6));
    withGradient.standardErrors.forEach((v, i) => expect(v / plain.standardErrors[i]!).toBeCloseTo(1, 4));
  });
});

describe('distinct values', () => {
  it('index values as a Map keyed by them would: first appearance, NaN with NaN, −0 with 0, past every resize', () => {
    const random = seededRandom(77);
    const values = Float64Array.from({ length: 20_000 }, (_, i) =>
      i % 97 === 0 ? NaN : i % 89 === 0 ? -0 : i % 83 === 0 ? 0 : Math.floor(random() * 3000) / 7,
    );
    const got = distinctValues(values);
    const at = new Map<number, number>();
    const expected: number[] = [];
    values.forEach((v, i) => {
      if (!at.has(v)) {
        at.set(v, expected.length);
        expected.push(v);
      }
      expect(got.index[i]).toBe(at.get(v));
    });
    expect(Array.from(got.values)).toEqual(expected);
  });
});

describe('Gamma-Gamma value and gradient in one pass', () => {
  it('equals gammaGammaLogLikelihood and its central differences', () => {
    const random = seededRandom(12);
    const spend = { x: Float64Array.from({ length: 500 }, () => 1 + Math.floor(random() * 12)), mx: Float64Array.from({ length: 500 }, () => 3 + 90 * random()) };
    const rows = spendRows(spend);
    for (const p of [{ p: 6.25, q: 3.74, gamma: 15.44 }, { p: 0.9, q: 40, gamma: 900 }]) {
      const f = gammaGammaValueAndGradient(p, rows);
      close(f.value, gammaGammaLogLikelihood(p, spend), 1e-12);
      const numeric = numericGradient((u) => gammaGammaLogLikelihood({ p: u[0]!, q: u[1]!, gamma: u[2]! }, spend), [p.p, p.q, p.gamma], 1e-6);
      f.gradient.forEach((g, i) => close(g, numeric[i]!, 1e-5));
    }
  });
});
