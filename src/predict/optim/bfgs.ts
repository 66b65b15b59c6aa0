import type { Objective } from './nelder-mead.js';

export type GradientFn = (x: readonly number[]) => number[];

export interface BfgsResult {
  readonly x: number[];
  readonly value: number;
  readonly iterations: number;
  readonly gradientNorm: number;
}

/**
 * A few quasi-Newton (BFGS) steps from a point already near the minimum, with an Armijo backtracking
 * line search. The simplex stage finds the basin; this stage drives the gradient to (numerically) zero,
 * which the simplex alone does slowly. A step that does not decrease f ends the polish, so the result is
 * never worse than the start.
 */
export function bfgsPolish(
  f: Objective,
  gradient: GradientFn,
  x0: readonly number[],
  options: { maxIterations?: number; gradientTolerance?: number } = {},
): BfgsResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 100;
  const gTol = options.gradientTolerance ?? 1e-8;
  let x = x0.slice();
  let fx = f(x);
  let g = gradient(x);
  // Inverse-Hessian approximation, starting from the identity.
  let B = identity(n);
  let iterations = 0;
  while (iterations < maxIterations && norm(g) > gTol) {
    iterations++;
    let d = B.map((row) => -dot(row, g));
    let slope = dot(d, g);
    if (!(slope < 0)) {
      // The approximation lost positive definiteness: restart from steepest descent.
      B = identity(n);
      d = g.map((v) => -v);
      slope = dot(d, g);
    }
    let t = 1;
    let next: number[] | undefined;
    let fNext = fx;
    for (let k = 0; k < 40; k++) {
      const trial = x.map((xi, i) => xi + t * (d[i] as number));
      const ft = f(trial);
      if (Number.isFinite(ft) && ft <= fx + 1e-4 * t * slope) {
        next = trial;
        fNext = ft;
        break;
      }
      t /= 2;
    }
    if (next === undefined) break;
    const gNext = gradient(next);
    const s = next.map((v, i) => v - (x[i] as number));
    const y = gNext.map((v, i) => v - (g[i] as number));
    const sy = dot(s, y);
    if (sy > 1e-12 * norm(s) * norm(y)) B = bfgsUpdate(B, s, y, sy);
    const improvement = fx - fNext;
    x = next;
    fx = fNext;
    g = gNext;
    if (improvement <= 1e-15 * (1 + Math.abs(fx))) break;
  }
  return { x, value: fx, iterations, gradientNorm: norm(g) };
}

function bfgsUpdate(B: number[][], s: number[], y: number[], sy: number): number[][] {
  const n = s.length;
  const By = B.map((row) => dot(row, y));
  const yBy = dot(y, By);
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

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function norm(a: readonly number[]): number {
  return Math.sqrt(dot(a, a));
}
