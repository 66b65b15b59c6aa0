import { bfgsMinimise, bfgsPolish, type GradientFn, type ObjectiveWithGradient } from './bfgs.js';
import { numericGradient } from './gradient.js';
import { hessianFromGradient, numericHessian } from './hessian.js';
import { invertMatrix } from './invert.js';
import { newtonPolish } from './newton-polish.js';
import { nelderMead, type Objective } from './nelder-mead.js';
import type { RandomSource } from '../../numeric/random.js';

export interface MaximiseOptions {
  /** Starting point on the natural (positive) scale. */
  readonly start: readonly number[];
  readonly random: RandomSource;
  /** Extra runs from random points around the start (log scale ± spread). */
  readonly restarts?: number;
  readonly spread?: number;
  /**
   * The search stays within start·e^(±bound) for every parameter. Small data sets often have their
   * supremum at infinity (e.g. BG/NBD a, b → ∞ with a/(a+b) fixed); the box turns that into a point on its
   * edge, reported in atBound, instead of an endless walk.
   */
  readonly bound?: number;
  /** Gradient of the log-likelihood in the natural parameters, when known analytically. */
  readonly gradient?: (params: readonly number[]) => number[];
  /**
   * Log-likelihood and gradient together, from one pass over the data (preferred over `gradient`: a
   * gradient search asks for both at nearly every point).
   */
  readonly valueAndGradient?: (params: readonly number[]) => { value: number; gradient: number[] };
}

export interface Convergence {
  readonly converged: boolean;
  /** Search iterations (simplex or quasi-Newton) over every run, and the Newton steps of the polish. */
  readonly iterations: number;
  readonly restarts: number;
  /** Euclidean norm of the log-likelihood gradient with respect to the log-parameters, at the optimum. */
  readonly gradientNorm: number;
  /** Evaluations of the log-likelihood (with its gradient, in a gradient search). */
  readonly evaluations: number;
  /** Indices of parameters that ended on the edge of the search box. */
  readonly atBound: number[];
}

export interface MaximiseResult {
  readonly params: number[];
  readonly logLikelihood: number;
  /** Standard errors of the natural parameters from the inverse observed information; NaN when singular. */
  readonly standardErrors: number[];
  readonly covariance: number[][] | undefined;
  readonly convergence: Convergence;
}

/** What a search hands to the common end: the best log-parameters and how it got there. */
interface Search {
  readonly theta: number[];
  readonly iterations: number;
  /** −log-likelihood and its gradient in the log-parameters (NaN where undefined). */
  readonly fg: ObjectiveWithGradient;
  /** The Hessian of −log-likelihood in the log-parameters at theta. */
  readonly hessian: (theta: readonly number[]) => number[][];
}

/**
 * Maximum likelihood over positive parameters. The search runs on log-parameters so positivity is free,
 * inside the box of `bound`. With an analytic gradient it is quasi-Newton throughout: BFGS from the start
 * and from seeded random restarts, keeping the best, then Newton steps on the analytic gradient to solve
 * ∇ = 0 to its precision (newtonPolish: BFGS stops once the likelihood cannot show a gain, which in a flat
 * direction leaves the parameters off by ~10⁻⁶, cents on a base's total CLV); without one, Nelder–Mead from the start and the
 * restarts, a second simplex from the best point (a stalled simplex is the classic failure), then a BFGS
 * polish on numerical gradients. Standard errors come from the Hessian at the optimum (central differences
 * of the gradient, or of values without one): computed on the log scale, where steps are relative, and
 * carried to the natural scale by the chain rule (at a stationary point H_natural = D⁻¹ H_log D⁻¹ with
 * D = diag(params)).
 */
export function maximiseLogLikelihood(logLik: (params: readonly number[]) => number, options: MaximiseOptions): MaximiseResult {
  let evaluations = 0;
  const theta0 = options.start.map(Math.log);
  const bound = options.bound ?? 12;
  const restarts = options.restarts ?? 4;
  const spread = options.spread ?? 1.5;
  const starts = [theta0];
  for (let k = 0; k < restarts; k++) starts.push(theta0.map((t) => t + spread * (2 * options.random() - 1)));
  const natural = options.valueAndGradient ?? (options.gradient ? valueAndGradientOf(logLik, options.gradient) : undefined);
  const counted = (theta: readonly number[]) => {
    evaluations++;
    return theta;
  };
  const search = natural
    ? gradientSearch((p) => natural(p), starts, theta0, bound, counted)
    : simplexSearch((p) => logLik(p), starts, theta0, bound, counted);

  const theta = search.theta;
  const params = theta.map(Math.exp);
  const atBound = theta.flatMap((t, i) => (Math.abs(t - (theta0[i] as number)) > bound - 0.5 ? [i] : []));
  const interior = theta.flatMap((_, i) => (atBound.includes(i) ? [] : [i]));
  // At an edge the likelihood still rises outwards; convergence is judged on the free parameters.
  const at = search.fg(theta);
  const gradientNorm = Math.hypot(...interior.map((i) => at.gradient[i] as number));
  const logLikelihood = -at.value;

  // Errors of the free parameters with the edge ones held fixed: the sub-block of the Hessian.
  const hLog = search.hessian(theta);
  const hNatural = interior.map((i) => interior.map((j) => ((hLog[i] as number[])[j] as number) / ((params[i] as number) * (params[j] as number))));
  const sub = interior.length > 0 ? invertMatrix(hNatural) : undefined;
  const covariance = sub && atBound.length === 0 ? sub : undefined;
  const standardErrors = params.map((_, i) => {
    const k = interior.indexOf(i);
    const v = sub && k >= 0 ? ((sub[k] as number[])[k] as number) : NaN;
    return v > 0 ? Math.sqrt(v) : NaN;
  });
  // Tolerance relative to the size of the likelihood: a sum over n customers has gradients that scale with n.
  const converged = Number.isFinite(logLikelihood) && gradientNorm <= 1e-3 * Math.max(1, Math.abs(logLikelihood) / 1000);
  return {
    params,
    logLikelihood,
    standardErrors,
    covariance,
    convergence: { converged, iterations: search.iterations, restarts, gradientNorm, evaluations, atBound },
  };
}

function valueAndGradientOf(logLik: (p: readonly number[]) => number, gradient: (p: readonly number[]) => number[]) {
  return (p: readonly number[]) => ({ value: logLik(p), gradient: gradient(p) });
}

/** −log-likelihood with its gradient in log-parameters; +∞ (and NaN gradient) where undefined. */
function negativeOnLogScale(natural: (p: readonly number[]) => { value: number; gradient: number[] }): ObjectiveWithGradient {
  return (theta) => {
    const p = theta.map(Math.exp);
    const r = natural(p);
    const value = -r.value;
    if (!Number.isFinite(value)) return { value: Infinity, gradient: theta.map(() => NaN) };
    return { value, gradient: r.gradient.map((g, i) => -g * (p[i] as number)) };
  };
}

/** BFGS in the box from each start; the best end point wins. */
function gradientSearch(
  natural: (p: readonly number[]) => { value: number; gradient: number[] },
  starts: readonly number[][],
  theta0: readonly number[],
  bound: number,
  count: (theta: readonly number[]) => readonly number[],
): Search {
  const raw = negativeOnLogScale(natural);
  const fg: ObjectiveWithGradient = (theta) => raw(count(theta));
  const lower = theta0.map((t) => t - bound);
  const upper = theta0.map((t) => t + bound);
  let iterations = 0;
  let best: { x: number[]; value: number } | undefined;
  for (const from of starts) {
    const first = fg(from);
    if (!Number.isFinite(first.value)) continue;
    // Gradients of a sum over n customers scale with n: the tolerance follows the likelihood's size.
    const gradientTolerance = 1e-6 * Math.max(1, Math.abs(first.value) / 1000);
    const run = bfgsMinimise(fg, from, { lower, upper, gradientTolerance, maxStep: 2, initial: first });
    iterations += run.iterations;
    if (!best || run.value < best.value) best = run;
  }
  // BFGS stops when f no longer shows a decrease; Newton steps then solve ∇f = 0 to the gradient's
  // precision (newtonPolish), inside the box only: at an edge the likelihood still rises outwards.
  let theta = best ? best.x : theta0.slice();
  if (best && theta.every((t, i) => Math.abs(t - (theta0[i] as number)) <= bound - 0.5)) {
    // Solved when the gradient is at the level of its own rounding (a sum of n terms), scaled as above.
    const tolerance = 1e-9 * Math.max(1, Math.abs(best.value) / 1000);
    const polished = newtonPolish(fg, (t) => hessianFromGradient((p) => fg(p).gradient, t), theta, { tolerance });
    theta = polished.x;
    iterations += polished.steps;
  }
  return {
    theta,
    iterations,
    fg: raw,
    hessian: (theta) => hessianFromGradient((t) => raw(t).gradient, theta),
  };
}

/** Nelder–Mead from each start, a second simplex from the best, then a BFGS polish on numerical gradients. */
function simplexSearch(
  logLik: (p: readonly number[]) => number,
  starts: readonly number[][],
  theta0: readonly number[],
  bound: number,
  count: (theta: readonly number[]) => readonly number[],
): Search {
  const unbounded: Objective = (theta) => {
    const v = -logLik(count(theta).map(Math.exp));
    return Number.isFinite(v) ? v : Infinity;
  };
  const negative: Objective = (theta) =>
    theta.some((t, i) => Math.abs(t - (theta0[i] as number)) > bound) ? Infinity : unbounded(theta);
  const gradient: GradientFn = (theta) => numericGradient(unbounded, theta);
  let iterations = 0;
  let best = nelderMead(negative, starts[0] as number[], { fTolerance: 1e-7, xTolerance: 1e-4 });
  iterations += best.iterations;
  for (const from of starts.slice(1)) {
    // Restarts only have to find the basin; the final simplex and the polish add the precision.
    const run = nelderMead(negative, from, { fTolerance: 1e-7, xTolerance: 1e-4 });
    iterations += run.iterations;
    if (run.value < best.value) best = run;
  }
  const again = nelderMead(negative, best.x, { step: 0.1 });
  iterations += again.iterations;
  if (again.value <= best.value) best = again;
  const polished = bfgsPolish(negative, gradient, best.x);
  iterations += polished.iterations;
  return {
    theta: polished.value <= best.value ? polished.x : best.x,
    iterations,
    fg: (theta) => ({ value: unbounded(theta), gradient: gradient(theta) }),
    hessian: (theta) => numericHessian(unbounded, theta),
  };
}
