import { bfgsPolish, type GradientFn } from './bfgs.js';
import { numericGradient } from './gradient.js';
import { numericHessian } from './hessian.js';
import { invertMatrix } from './invert.js';
import { nelderMead, type Objective } from './nelder-mead.js';
import type { RandomSource } from '../../numeric/random.js';

export interface MaximiseOptions {
  /** Starting point on the natural (positive) scale. */
  readonly start: readonly number[];
  readonly random: RandomSource;
  /** Extra simplex runs from random points around the start (log scale ± spread). */
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
}

export interface Convergence {
  readonly converged: boolean;
  /** Simplex iterations over every run plus the quasi-Newton steps. */
  readonly iterations: number;
  readonly restarts: number;
  /** Euclidean norm of the log-likelihood gradient with respect to the log-parameters, at the optimum. */
  readonly gradientNorm: number;
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

/**
 * Maximum likelihood over positive parameters. The search runs on log-parameters so positivity is free:
 * Nelder–Mead from the start and from seeded random restarts, a second simplex from the best point (a
 * stalled simplex is the classic failure), then BFGS polish. Standard errors come from the numerical
 * Hessian at the optimum: computed on the log scale, where steps are relative, and carried to the natural
 * scale by the chain rule (at a stationary point H_natural = D⁻¹ H_log D⁻¹ with D = diag(params)).
 */
export function maximiseLogLikelihood(logLik: (params: readonly number[]) => number, options: MaximiseOptions): MaximiseResult {
  let evaluations = 0;
  const theta0 = options.start.map(Math.log);
  const bound = options.bound ?? 12;
  const unbounded: Objective = (theta) => {
    evaluations++;
    const v = -logLik(theta.map(Math.exp));
    return Number.isFinite(v) ? v : Infinity;
  };
  const negative: Objective = (theta) =>
    theta.some((t, i) => Math.abs(t - (theta0[i] as number)) > bound) ? Infinity : unbounded(theta);
  const analytic = options.gradient;
  const gradient: GradientFn = analytic
    ? (theta) => {
        const p = theta.map(Math.exp);
        return analytic(p).map((g, i) => -g * (p[i] as number));
      }
    : (theta) => numericGradient(unbounded, theta);

  const restarts = options.restarts ?? 4;
  const spread = options.spread ?? 1.5;
  let iterations = 0;
  let best = nelderMead(negative, theta0, { fTolerance: 1e-7, xTolerance: 1e-4 });
  iterations += best.iterations;
  for (let k = 0; k < restarts; k++) {
    const from = theta0.map((t) => t + spread * (2 * options.random() - 1));
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
  const theta = polished.value <= best.value ? polished.x : best.x;
  const params = theta.map(Math.exp);
  const atBound = theta.flatMap((t, i) => (Math.abs(t - (theta0[i] as number)) > bound - 0.5 ? [i] : []));
  const interior = theta.flatMap((_, i) => (atBound.includes(i) ? [] : [i]));
  // At an edge the likelihood still rises outwards; convergence is judged on the free parameters.
  const fullGradient = gradient(theta);
  const gradientNorm = Math.hypot(...interior.map((i) => fullGradient[i] as number));
  const logLikelihood = -unbounded(theta);

  // Errors of the free parameters with the edge ones held fixed: the sub-block of the Hessian.
  const hLog = numericHessian(unbounded, theta);
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
    convergence: { converged, iterations, restarts, gradientNorm, evaluations, atBound },
  };
}
