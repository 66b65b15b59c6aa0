import type { ObjectiveWithGradient } from './bfgs.js';
import { invertMatrix } from './invert.js';

export interface NewtonPolishResult {
  readonly x: number[];
  /** Newton steps taken (each kept only when it lowered the gradient norm). */
  readonly steps: number;
}

/**
 * Newton steps x ← x − H(x)⁻¹∇f(x) from a point a quasi-Newton search stopped at, to solve ∇f = 0 to the
 * precision of the gradient rather than of f. Near a minimum f changes by about ½·gᵀH⁻¹g, which in a flat
 * direction (BG/NBD's a and b, strongly correlated) falls below the rounding of f long before the
 * gradient is small; a search that must show a decrease of f then stops where the parameters are still
 * off by 10⁻⁶ or so, enough to move a sum over thousands of customers in its cents. Newton's method
 * converges quadratically from there (Nocedal & Wright, Numerical Optimization, 2nd ed., thm. 3.5).
 *
 * A step is kept only when f is finite at its end, does not rise beyond the rounding of f, and the
 * gradient norm falls; otherwise the polish stops where it was (never worse than its start). `hessian`
 * gives the Hessian of f; a singular one ends the polish, as does a gradient norm at most `tolerance`
 * (default 0: until no step helps) or `maxSteps` steps (default 4).
 */
export function newtonPolish(
  fg: ObjectiveWithGradient,
  hessian: (x: readonly number[]) => number[][],
  x0: readonly number[],
  options: { readonly tolerance?: number; readonly maxSteps?: number } = {},
): NewtonPolishResult {
  const tolerance = options.tolerance ?? 0;
  const maxSteps = options.maxSteps ?? 4;
  let x = x0.slice();
  let at = fg(x);
  let norm = Math.hypot(...at.gradient);
  let steps = 0;
  while (steps < maxSteps && Number.isFinite(norm) && norm > tolerance) {
    const inverse = invertMatrix(hessian(x));
    if (!inverse) break;
    const trial = x.map((xi, i) => xi - (inverse[i] as number[]).reduce((s, h, j) => s + h * (at.gradient[j] as number), 0));
    const next = fg(trial);
    const nextNorm = Math.hypot(...next.gradient);
    const rounding = 1e-12 * (1 + Math.abs(at.value));
    if (!(Number.isFinite(next.value) && next.value <= at.value + rounding && nextNorm < norm)) break;
    x = trial;
    at = next;
    norm = nextNorm;
    steps++;
  }
  return { x, steps };
}
