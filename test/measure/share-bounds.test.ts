import { describe, expect, it } from 'vitest';
import { compareToControl } from '../../src/measure/stats/compare.js';
import { momentsOf } from './moments-of.js';

/*
 * Recheck 8, C2: a 30-customer holdout printed an always-valid interval of −227 to +214 points for a
 * difference of two conversion rates, which cannot leave [−100, +100] points. Worked by hand: control
 * 1 of 3 converted (p = 1/3, variance of the mean (1/3)(2/3)/3 = 0.0741), treatment 2 of 2 (variance 0):
 * difference 2/3, Wald half-width 1.96 · √0.0741 = 0.534, so the plain interval's upper end 1.20 is cut to 1.
 */
describe('intervals of a difference of shares stay within ±1', () => {
  it('cuts the plain and the sequential absolute lift at 1, keeping the estimate and the lower end', () => {
    const control = momentsOf([[0, 1, 0], [0, 0, 0]]);
    const treatment = momentsOf([[1, 1], [0, 0]]);
    const r = compareToControl('proportion', control, treatment, 5);
    expect(r.absolute_lift.estimate).toBeCloseTo(2 / 3, 12);
    expect(r.absolute_lift.ci95[0]).toBeCloseTo(2 / 3 - 1.959964 * Math.sqrt(2 / 27), 5);
    expect(r.absolute_lift.ci95[1]).toBe(1);
    expect(r.sequential!.absolute_lift.ci95[0]!).toBeGreaterThanOrEqual(-1);
    expect(r.sequential!.absolute_lift.ci95[1]).toBe(1);
    // a mean is not a share: no cut
    const m = compareToControl('mean', control, treatment, 5);
    expect(m.sequential!.absolute_lift.ci95[1]!).toBeGreaterThan(1);
  });
});
