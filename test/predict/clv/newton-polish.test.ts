import { describe, expect, it } from 'vitest';
import { bfgsMinimise } from '../../../src/predict/optim/bfgs.js';
import { newtonPolish } from '../../../src/predict/optim/newton-polish.js';

/**
 * f(x, y) = 10⁴ + 10³(x + y − 2)² + 10⁻⁹(x − y)²: minimum 10⁴ at (1, 1), one steep direction and one so
 * flat that moving along it changes f by less than f's rounding (10⁻¹²·f). A search that needs f to show
 * a decrease stops wherever it reaches the valley, as BFGS stopped on BG/NBD's (a, b) valley before the
 * polish; Newton steps on the gradient solve ∇f = 0 exactly (a quadratic: one step, by hand).
 */
const valley = (v: readonly number[]) => {
  const [x, y] = v as [number, number];
  const s = x + y - 2;
  const d = x - y;
  return { value: 1e4 + 1e3 * s * s + 1e-9 * d * d, gradient: [2e3 * s + 2e-9 * d, 2e3 * s - 2e-9 * d] };
};
const valleyHessian = () => [
  [2e3 + 2e-9, 2e3 - 2e-9],
  [2e3 - 2e-9, 2e3 + 2e-9],
];

describe('newtonPolish', () => {
  it('solves the gradient to zero along a direction too flat for the search to see', () => {
    const search = bfgsMinimise(valley, [3, -1.5], { gradientTolerance: 1e-14 });
    // The search stalls in the valley, far from (1, 1) along x − y...
    expect(Math.abs((search.x[0] as number) - (search.x[1] as number))).toBeGreaterThan(1);
    // ...and one Newton step lands on the minimum.
    const p = newtonPolish(valley, valleyHessian, search.x);
    expect(p.steps).toBeGreaterThanOrEqual(1);
    expect(p.x[0]).toBeCloseTo(1, 6);
    expect(p.x[1]).toBeCloseTo(1, 6);
    expect(Math.hypot(...valley(p.x).gradient)).toBeLessThan(1e-9);
  });

  it('refuses a step that climbs (towards a maximum) and one with a singular Hessian, keeping the start', () => {
    // cos has a maximum at 0: Newton's step from 0.5 heads there, and f would rise from cos 0.5 to 1.
    const cos = (v: readonly number[]) => ({ value: Math.cos(v[0] as number), gradient: [-Math.sin(v[0] as number)] });
    expect(newtonPolish(cos, (v) => [[-Math.cos(v[0] as number)]], [0.5])).toEqual({ x: [0.5], steps: 0 });
    expect(newtonPolish(valley, () => [[1, 1], [1, 1]], [3, -1.5])).toEqual({ x: [3, -1.5], steps: 0 });
  });

  it('stops at a point where the gradient is already zero', () => {
    expect(newtonPolish(valley, valleyHessian, [1, 1])).toEqual({ x: [1, 1], steps: 0 });
  });
});
