import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auc } from '../../../src/predict/stats/auc.js';
import { calibrationTable } from '../../../src/predict/stats/calibration-table.js';
import { precisionAtFraction } from '../../../src/predict/stats/precision-at-fraction.js';

/** The definition itself: over every (positive, negative) pair, 1 if the positive scores higher, ½ on a tie. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let credit = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      const a = scores[i] as number;
      const b = scores[j] as number;
      credit += a > b ? 1 : a === b ? 0.5 : 0;
    }
  }
  return pairs === 0 ? NaN : credit / pairs;
}

// Few distinct score values, so ties are common and the tie rule is exercised.
const sample = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 1 })), { minLength: 0, maxLength: 60 })
  .map((xs) => ({ scores: xs.map((x) => x[0] / 3), labels: xs.map((x) => x[1]) }));

describe('auc', () => {
  it('equals the brute-force pairwise count, ties included', () => {
    fc.assert(
      fc.property(sample, ({ scores, labels }) => {
        const expected = pairwiseAuc(scores, labels);
        const got = auc(scores, labels);
        if (Number.isNaN(expected)) return Number.isNaN(got);
        return Math.abs(got - expected) < 1e-12;
      }),
      { numRuns: 500 },
    );
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, ½ when all scores tie, NaN with one class', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auc([0.5, 0.5, 0.5], [0, 1, 0])).toBe(0.5);
    expect(auc([0.1, 0.2], [1, 1])).toBeNaN();
  });
});

describe('precisionAtFraction', () => {
  it('counts the positives among the top ceil(f·n) scores, a tie at the boundary sharing the places left', () => {
    fc.assert(
      fc.property(sample, fc.double({ min: 0.01, max: 1, noNaN: true }), ({ scores, labels }, f) => {
        if (scores.length === 0) return Number.isNaN(precisionAtFraction(scores, labels, f));
        const k = Math.ceil(f * scores.length);
        // Per customer: in the top for sure above the k-th score, with probability (places left) / (tied)
        // at it, never below; precision is the expected number of positives taken over k.
        const kth = [...scores].sort((a, b) => b - a)[k - 1]!;
        const above = scores.filter((s) => s > kth).length;
        const tied = scores.filter((s) => s === kth).length;
        const expected = scores.reduce((sum, s, i) => sum + (labels[i] === 1 ? (s > kth ? 1 : s === kth ? (k - above) / tied : 0) : 0), 0) / k;
        return Math.abs(precisionAtFraction(scores, labels, f) - expected) < 1e-12;
      }),
    );
  });

  it('is the base rate when every score ties, whatever the order of the rows', () => {
    const labels = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    expect(precisionAtFraction(new Array(10).fill(0.3), labels, 0.1)).toBeCloseTo(0.3, 12);
    expect(precisionAtFraction(new Array(10).fill(0.3), [...labels].reverse(), 0.1)).toBeCloseTo(0.3, 12);
    // distinct scores: the plain count
    expect(precisionAtFraction([0.9, 0.8, 0.1, 0.2], [1, 0, 0, 1], 0.5)).toBe(0.5);
  });
});

describe('calibrationTable', () => {
  it('splits into equal-count bins of sorted predictions whose counts and means add up', () => {
    const p = Array.from({ length: 95 }, (_, i) => ((i * 37) % 95) / 95);
    const y: number[] = p.map((v, i) => (i % 3 === 0 || v > 0.8 ? 1 : 0));
    const table = calibrationTable(p, y, 10);
    expect(table).toHaveLength(10);
    expect(table.reduce((s, b) => s + b.count, 0)).toBe(95);
    expect(table.map((b) => b.count)).toEqual([9, 10, 9, 10, 9, 10, 9, 10, 9, 10]);
    const meanP = table.reduce((s, b) => s + b.meanPredicted * b.count, 0) / 95;
    const meanY = table.reduce((s, b) => s + b.observedRate * b.count, 0) / 95;
    expect(meanP).toBeCloseTo(p.reduce((a, b) => a + b, 0) / 95, 12);
    expect(meanY).toBeCloseTo(y.reduce((a, b) => a + b, 0) / 95, 12);
    for (let i = 1; i < table.length; i++) expect(table[i]!.meanPredicted).toBeGreaterThan(table[i - 1]!.meanPredicted);
  });
});
