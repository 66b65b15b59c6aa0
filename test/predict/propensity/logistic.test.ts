import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/numeric/random.js';
import { choleskySolve } from '../../../src/predict/stats/cholesky-solve.js';
import { logisticFit } from '../../../src/predict/stats/logistic-fit.js';
import { logisticGradient } from '../../../src/predict/stats/logistic-gradient.js';
import { logisticPredict } from '../../../src/predict/stats/logistic-predict.js';
import type { Matrix } from '../../../src/predict/stats/matrix.js';
import { fitStandardiser } from '../../../src/predict/stats/standardiser.js';
import { standardise } from '../../../src/predict/stats/standardise.js';

const logit = (p: number) => Math.log(p / (1 - p));

/** n rows of p standard normal features (Box–Muller) and labels drawn from the true logistic model. */
function simulate(n: number, intercept: number, weights: number[], seed: number): { x: Matrix; y: Float64Array } {
  const rnd = seededRandom(seed);
  const p = weights.length;
  const data = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = intercept;
    for (let j = 0; j < p; j++) {
      const v = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
      data[i * p + j] = v;
      z += v * (weights[j] as number);
    }
    y[i] = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { x: { rows: n, cols: p, data }, y };
}

describe('logisticFit', () => {
  it('matches the closed form for one binary feature without penalty', () => {
    // 0/1 feature: the MLE sets the intercept to logit(rate when x=0) and the slope to the log odds ratio.
    const x: number[] = [];
    const y: number[] = [];
    const add = (xv: number, yv: number, times: number) => {
      for (let i = 0; i < times; i++) {
        x.push(xv);
        y.push(yv);
      }
    };
    add(0, 1, 30);
    add(0, 0, 70);
    add(1, 1, 45);
    add(1, 0, 15);
    const fit = logisticFit({ rows: x.length, cols: 1, data: Float64Array.from(x) }, y, { lambda: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(logit(0.3), 9);
    expect(fit.weights[0]).toBeCloseTo(logit(0.75) - logit(0.3), 9);
  });

  it('recovers the coefficients of simulated data', () => {
    const truth = { intercept: -1, weights: [1.5, -0.8, 0, 0.4] };
    const { x, y } = simulate(40_000, truth.intercept, truth.weights, 7);
    const fit = logisticFit(x, y, { lambda: 1 });
    expect(fit.converged).toBe(true);
    // Standard errors here are about 0.015–0.02; 0.06 is three to four of them.
    expect(fit.intercept).toBeCloseTo(truth.intercept, 1);
    fit.weights.forEach((w, j) => expect(Math.abs(w - (truth.weights[j] as number))).toBeLessThan(0.06));
  });

  it('stops where the penalised gradient is zero, for any λ', () => {
    const { x, y } = simulate(2_000, 0.3, [0.7, -1.2, 0.1], 11);
    for (const lambda of [0.01, 1, 50]) {
      const fit = logisticFit(x, y, { lambda });
      const g = logisticGradient(x, y, fit.intercept, fit.weights, lambda);
      for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-6);
    }
  });

  it('shrinks the weights as λ grows, never the intercept towards 0 by force', () => {
    const { x, y } = simulate(1_000, 0.5, [1, -1], 3);
    const norms = [0, 10, 100, 1000].map((lambda) => {
      const f = logisticFit(x, y, { lambda });
      return Math.hypot(...f.weights);
    });
    for (let i = 1; i < norms.length; i++) expect(norms[i]).toBeLessThan(norms[i - 1]!);
    const huge = logisticFit(x, y, { lambda: 1e9 });
    // With the weights pinned at 0 the intercept is the logit of the overall rate.
    const rate = y.reduce((a, b) => a + b, 0) / y.length;
    expect(huge.intercept).toBeCloseTo(logit(rate), 4);
  });

  it('is deterministic and its predictions are the logistic of the linear score', () => {
    const { x, y } = simulate(500, 0, [0.5, 0.5], 5);
    const a = logisticFit(x, y);
    const b = logisticFit(x, y);
    expect(a).toEqual(b);
    const p = logisticPredict(x, a.intercept, a.weights);
    const z = a.intercept + (x.data[0] as number) * a.weights[0]! + (x.data[1] as number) * a.weights[1]!;
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-z)), 14);
  });
});

describe('choleskySolve', () => {
  it('solves A·x = b for random positive definite A = MᵀM + I', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 1e6 }), (n, seed) => {
        const rnd = seededRandom(seed);
        const m = Array.from({ length: n * n }, () => rnd() * 2 - 1);
        const a = new Float64Array(n * n);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            let s = i === j ? 1 : 0;
            for (let k = 0; k < n; k++) s += m[k * n + i]! * m[k * n + j]!;
            a[i * n + j] = s;
          }
        const b = Float64Array.from({ length: n }, () => rnd() * 10 - 5);
        const x = choleskySolve(a, b, n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
          if (Math.abs(s - b[i]!) > 1e-9) return false;
        }
        return true;
      }),
    );
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskySolve(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2)).toThrow(/positive definite/);
  });
});

describe('standardise', () => {
  it('centres and scales with training statistics, maps missing and constant columns to 0', () => {
    const x: Matrix = { rows: 4, cols: 3, data: Float64Array.from([1, 5, NaN, 2, 5, 1, 3, 5, 3, 4, 5, NaN]) };
    const s = fitStandardiser(x);
    expect(s.means).toEqual([2.5, 5, 2]);
    expect(s.sds[0]).toBeCloseTo(Math.sqrt(1.25), 14);
    expect(s.sds[1]).toBe(0);
    expect(s.sds[2]).toBe(1);
    const z = standardise(x, s);
    expect(Array.from(z.data)).toEqual([
      -1.5 / Math.sqrt(1.25), 0, 0,
      -0.5 / Math.sqrt(1.25), 0, -1,
      0.5 / Math.sqrt(1.25), 0, 1,
      1.5 / Math.sqrt(1.25), 0, 0,
    ]);
  });
});
