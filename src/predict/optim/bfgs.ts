import type { Objective } from './nelder-mead.js';

export type GradientFn = (x: readonly number[]) => number[];

/** An objective and its gradient at one point, from one evaluation. */
export type ObjectiveWithGradient = (x: readonly number[]) => { value: number; gradient: number[] };

export interface BfgsOptions {
  readonly maxIterations?: number;
  /** Stop when the gradient norm over the free coordinates is at most this. */
  readonly gradientTolerance?: number;
  /** Box: each coordinate stays within [lower, upper]; a coordinate held at a side is "active". */
  readonly lower?: readonly number[];
  readonly upper?: readonly number[];
  /** Longest step along any coordinate in one iteration. */
  readonly maxStep?: number;
  /** f and its gradient at x0, when the caller already has them. */
  readonly initial?: { value: number; gradient: number[] };
}

export interface BfgsResult {
  readonly x: number[];
  readonly value: number;
  readonly gradient: number[];
  readonly iterations: number;
  readonly evaluations: number;
  /** Norm of the gradient over the free coordinates (those not held at a side of the box). */
  readonly gradientNorm: number;
}

/**
 * Minimises f by quasi-Newton (BFGS) steps with an Armijo backtracking line search, inside an optional box
 * (projected steps; a coordinate at a side whose gradient points out of the box is held there and left out
 * of the step, and the inverse-Hessian estimate restarts when that set changes). The first step is scaled
 * to the gradient and the estimate to the first curvature pair (Nocedal & Wright, Numerical Optimization,
 * 2nd ed., eq. 6.20). A step that does not decrease f ends the search, so the result is never worse than
 * the start. Points where f is not finite are rejected by the line search.
 */
export function bfgsMinimise(fg: ObjectiveWithGradient, x0: readonly number[], options: BfgsOptions = {}): BfgsResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 200;
  const gTol = options.gradientTolerance ?? 1e-8;
  const lower = options.lower ?? new Array<number>(n).fill(-Infinity);
  const upper = options.upper ?? new Array<number>(n).fill(Infinity);
  const maxStep = options.maxStep ?? Infinity;
  const clamp = (v: number, i: number) => Math.min(upper[i] as number, Math.max(lower[i] as number, v));
  let x = x0.map(clamp);
  const inside = x.every((v, i) => v === x0[i]);
  let evaluations = options.initial && inside ? 0 : 1;
  let { value: fx, gradient: g } = options.initial && inside ? options.initial : fg(x);
  let iterations = 0;
  let B: number[][] | undefined;
  let activeKey = '';
  const freeOf = (point: readonly number[], grad: readonly number[]) =>
    point.map((v, i) => !((v <= (lower[i] as number) && (grad[i] as number) > 0) || (v >= (upper[i] as number) && (grad[i] as number) < 0)));
  let free = freeOf(x, g);
  const freeNorm = () => Math.sqrt(g.reduce((s, gi, i) => (free[i] ? s + gi * gi : s), 0));
  while (Number.isFinite(fx) && g.every(Number.isFinite) && iterations < maxIterations) {
    free = freeOf(x, g);
    if (freeNorm() <= gTol) break;
    const key = free.map((f) => (f ? '1' : '0')).join('');
    if (key !== activeKey) {
      B = undefined;
      activeKey = key;
    }
    iterations++;
    // Direction: −B·g on the free coordinates; steepest descent scaled to unit length until B exists.
    let d = free.map((f, i) => (f ? (B ? -dot(B[i] as number[], g, free) : -(g[i] as number) / Math.max(1, freeNorm())) : 0));
    if (!(dot(d, g, free) < 0)) {
      // The estimate lost positive definiteness: start again from steepest descent.
      B = undefined;
      d = free.map((f, i) => (f ? -(g[i] as number) / Math.max(1, freeNorm()) : 0));
    }
    const longest = Math.max(...d.map(Math.abs));
    let t = longest > maxStep ? maxStep / longest : 1;
    let next: number[] | undefined;
    let fNext: { value: number; gradient: number[] } | undefined;
    for (let k = 0; k < 40; k++) {
      const trial = x.map((xi, i) => clamp(xi + t * (d[i] as number), i));
      // The projected step may be shorter than t·d: test sufficient decrease along the step actually taken.
      const taken = dot(trial.map((v, i) => v - (x[i] as number)), g);
      // A decrease this small is below the rounding of f itself: no step can be shown to be better.
      if (!(-taken > 1e-12 * (1 + Math.abs(fx)))) break;
      evaluations++;
      const ft = fg(trial);
      if (Number.isFinite(ft.value) && ft.value <= fx + 1e-4 * taken) {
        next = trial;
        fNext = ft;
        break;
      }
      t /= 2;
    }
    if (next === undefined || fNext === undefined) break;
    const s = next.map((v, i) => v - (x[i] as number));
    const y = fNext.gradient.map((v, i) => v - (g[i] as number));
    const sy = dot(s, y, free);
    if (sy > 1e-12 * Math.sqrt(dot(s, s, free) * dot(y, y, free))) {
      // Before the first update the estimate is the identity scaled to the observed curvature.
      B = bfgsUpdate(B ?? scaledIdentity(n, sy / dot(y, y, free)), s, y, sy, free);
    }
    const improvement = fx - fNext.value;
    x = next;
    fx = fNext.value;
    g = fNext.gradient;
    if (improvement <= 1e-15 * (1 + Math.abs(fx))) break;
  }
  free = freeOf(x, g);
  return { x, value: fx, gradient: g, iterations, evaluations, gradientNorm: freeNorm() };
}

/**
 * A few BFGS steps from a point already near the minimum (no box), with the gradient from its own
 * function: the polish after a derivative-free search. Never ends worse than it started.
 */
export function bfgsPolish(
  f: Objective,
  gradient: GradientFn,
  x0: readonly number[],
  options: { maxIterations?: number; gradientTolerance?: number } = {},
): { x: number[]; value: number; iterations: number; gradientNorm: number } {
  const r = bfgsMinimise((x) => ({ value: f(x), gradient: gradient(x) }), x0, { maxIterations: 100, ...options });
  return { x: r.x, value: r.value, iterations: r.iterations, gradientNorm: r.gradientNorm };
}

function bfgsUpdate(B: number[][], s: number[], y: number[], sy: number, free: readonly boolean[]): number[][] {
  const n = s.length;
  const By = B.map((row) => dot(row, y, free));
  const yBy = dot(y, By, free);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      const si = s[i] as number;
      const sj = s[j] as number;
      row.push(
        ((B[i] as number[])[j] as number) +
          ((sy + yBy) * si * sj) / (sy * sy) -
          ((By[i] as number) * sj + si * (By[j] as number)) / sy,
      );
    }
    out.push(row);
  }
  return out;
}

function scaledIdentity(n: number, scale: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? scale : 0)));
}

/** Σ a_i b_i, over the coordinates where `only` holds when it is given. */
function dot(a: readonly number[], b: readonly number[], only?: readonly boolean[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (!only || only[i]) s += (a[i] as number) * (b[i] as number);
  return s;
}
