import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paretoNbdLogLikelihood } from '../../../src/predict/clv/pareto-nbd/log-likelihood.js';
import { logPowerIntegral, SERIES_LIMIT } from '../../../src/predict/clv/power-integral.js';
import { logPowerIntegralQuadrature } from '../../../src/predict/clv/power-integral-quadrature.js';
import gammaln from '@stdlib/math-base-special-gammaln';

/** Composite Simpson's rule on [y0, y1] with n (even) intervals: a third, naive, route. */
function simpson(f: (y: number) => number, y0: number, y1: number, n: number): number {
  const h = (y1 - y0) / n;
  let s = f(y0) + f(y1);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(y0 + i * h);
  return (s * h) / 3;
}

describe('∫ (α+y)^−A (β+y)^−B dy: ₂F₁ series against quadrature', () => {
  it('α = β has the closed form [(m+y0)^(1−A−B) − (m+y1)^(1−A−B)]/(A+B−1)', () => {
    const [m, A, B, y0, y1] = [7, 2.3, 0.9, 3, 40];
    const exact = (Math.pow(m + y0, 1 - A - B) - Math.pow(m + y1, 1 - A - B)) / (A + B - 1);
    expect(Math.exp(logPowerIntegral(m, A, m, B, y0, y1)) / exact).toBeCloseTo(1, 12);
    expect(Math.exp(logPowerIntegralQuadrature(m, A, m, B, y0, y1)) / exact).toBeCloseTo(1, 12);
  });

  it('the series route and the Gauss–Legendre route agree wherever the series is used', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 200, noNaN: true }),
        fc.double({ min: 0.05, max: 60, noNaN: true }),
        fc.double({ min: 0.01, max: 200, noNaN: true }),
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.oneof(fc.constant(Infinity), fc.double({ min: 0.01, max: 60, noNaN: true })),
        (alpha, A, beta, B, y0, dy) => {
          if (A + B <= 1.05) return true;
          if (Math.abs(alpha - beta) / (Math.max(alpha, beta) + y0) > SERIES_LIMIT) return true;
          const y1 = y0 + dy;
          const series = logPowerIntegral(alpha, A, beta, B, y0, y1);
          const quadrature = logPowerIntegralQuadrature(alpha, A, beta, B, y0, y1);
          return Math.abs(series - quadrature) < 1e-9 * Math.max(1, Math.abs(series));
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it('matches Simpson on a case the quadrature route takes (one base 10⁴ times the other)', () => {
    const [alpha, A, beta, B, y0, y1] = [1000, 1.6, 0.1, 2.2, 0.5, 30];
    expect(Math.abs(alpha - beta) / (alpha + y0)).toBeGreaterThan(SERIES_LIMIT);
    const reference = simpson((y) => Math.pow(alpha + y, -A) * Math.pow(beta + y, -B), y0, y1, 200_000);
    expect(Math.exp(logPowerIntegral(alpha, A, beta, B, y0, y1)) / reference).toBeCloseTo(1, 8);
  });
});

describe('Pareto/NBD likelihood against its defining integral', () => {
  it('equals Γ(r+x)αʳβˢ/Γ(r)·[1/((α+T)^(r+x)(β+T)ˢ) + s∫_{tₓ}^T (α+y)^−(r+x)(β+y)^−(s+1) dy] by Simpson', () => {
    const p = { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 };
    const customers: [number, number, number][] = [
      [0, 0, 38.86],
      [2, 30.43, 38.86],
      [26, 30.857, 31],
      [1, 1.71, 38.86],
      [5, 37.9, 38],
      [3, 10, 10],
    ];
    for (const [x, tx, T] of customers) {
      const one = { ids: ['c'], x: Float64Array.of(x), tx: Float64Array.of(tx), T: Float64Array.of(T), mx: Float64Array.of(NaN), xStar: Float64Array.of(NaN) };
      const integral = tx < T ? simpson((y) => Math.pow(p.alpha + y, -(p.r + x)) * Math.pow(p.beta + y, -(p.s + 1)), tx, T, 20_000) : 0;
      const head = Math.exp(gammaln(p.r + x) - gammaln(p.r) + p.r * Math.log(p.alpha) + p.s * Math.log(p.beta));
      const L = head * (Math.pow(p.alpha + T, -(p.r + x)) * Math.pow(p.beta + T, -p.s) + p.s * integral);
      expect(paretoNbdLogLikelihood(p, one)).toBeCloseTo(Math.log(L), 9);
    }
  });
});
