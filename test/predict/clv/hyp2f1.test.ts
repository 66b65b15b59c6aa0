import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logHyp2f1 } from '../../../src/predict/clv/hyp2f1.js';

/**
 * The textbook series, summed naively for a fixed, generous number of terms (an independent reference),
 * with Σ|terms|: where terms alternate (z < 0) the naive sum itself is only good to ~ε·Σ|terms|.
 */
function naiveSeries(a: number, b: number, c: number, z: number, terms: number): { sum: number; magnitude: number } {
  let sum = 1;
  let magnitude = 1;
  let term = 1;
  for (let j = 0; j < terms; j++) {
    term *= ((a + j) * (b + j)) / ((c + j) * (j + 1)) * z;
    sum += term;
    magnitude += Math.abs(term);
  }
  return { sum, magnitude };
}

describe('logHyp2f1', () => {
  it('matches closed forms: ₂F₁(1,1;2;z) = −ln(1−z)/z and ₂F₁(a,b;b;z) = (1−z)^−a', () => {
    for (const z of [0.001, 0.3, 0.9, 0.99, 0.999, -0.5]) {
      expect(Math.exp(logHyp2f1(1, 1, 2, z))).toBeCloseTo(-Math.log(1 - z) / z, 10);
      expect(logHyp2f1(2.7, 1.3, 1.3, z)).toBeCloseTo(-2.7 * Math.log(1 - z), 10);
    }
  });

  it('stays finite where the value overflows a double: ₂F₁(500, 3; 3; 0.9) = 10^500', () => {
    expect(logHyp2f1(500, 3, 3, 0.9) / (500 * Math.LN10)).toBeCloseTo(1, 12);
  });

  it('agrees with the naive series sum on random arguments', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 40, noNaN: true }),
        fc.double({ min: 0.05, max: 40, noNaN: true }),
        fc.double({ min: 0.05, max: 40, noNaN: true }),
        fc.double({ min: -0.8, max: 0.8, noNaN: true }),
        (a, b, c, z) => {
          const { sum, magnitude } = naiveSeries(a, b, c, z, 3000);
          const ours = logHyp2f1(a, b, c, z);
          if (!(sum > 0)) return Number.isNaN(ours) || Math.exp(ours) < 1e-13 * magnitude;
          return Math.abs(Math.exp(ours) - sum) <= 1e-12 * sum + 1e-14 * magnitude;
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('sums the tail near z = 1 (a first-small-term stop would be off by %)', () => {
    // ₂F₁(1, 1; 2; 0.999) needs ~4·10⁴ terms for full precision; the closed form is −ln(1e-3)/0.999.
    expect(Math.exp(logHyp2f1(1, 1, 2, 0.999)) / (-Math.log(1e-3) / 0.999)).toBeCloseTo(1, 13);
    // Past the iteration cap the answer is NaN (an impossible point for the optimiser), never a truncated sum.
    expect(logHyp2f1(1, 1, 2, 0.999999)).toBeNaN();
  });

  it('refuses what it cannot do: |z| ≥ 1, c a non-positive integer, a non-positive sum', () => {
    expect(logHyp2f1(1, 1, 2, 1)).toBeNaN();
    expect(logHyp2f1(1, 1, -2, 0.5)).toBeNaN();
    // ₂F₁(−1, 2; 1; z) = 1 − 2z: a polynomial, negative at z = 0.75.
    expect(logHyp2f1(-1, 2, 1, 0.75)).toBeNaN();
    expect(logHyp2f1(-1, 2, 1, 0.25)).toBeCloseTo(Math.log(0.5), 14);
  });
});
