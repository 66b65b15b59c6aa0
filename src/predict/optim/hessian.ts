import type { Objective } from './nelder-mead.js';

/**
 * The Hessian of f at x by central differences of function values (four evaluations per off-diagonal
 * element, three per diagonal one). h ≈ ε^(1/4) balances truncation against rounding for second
 * derivatives of a well-scaled function; the result is symmetric by construction.
 */
export function numericHessian(f: Objective, x: readonly number[], h = 1e-4): number[][] {
  const n = x.length;
  const steps = x.map((xi) => h * Math.max(1, Math.abs(xi)));
  const at = (moves: readonly [number, number][]): number => {
    const p = x.slice();
    for (const [i, s] of moves) p[i] = (p[i] as number) + s * (steps[i] as number);
    return f(p);
  };
  const f0 = f(x);
  const H: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const hi = steps[i] as number;
    const row = H[i] as number[];
    row[i] = (at([[i, 1]]) - 2 * f0 + at([[i, -1]])) / (hi * hi);
    for (let j = 0; j < i; j++) {
      const hj = steps[j] as number;
      const v =
        (at([[i, 1], [j, 1]]) - at([[i, 1], [j, -1]]) - at([[i, -1], [j, 1]]) + at([[i, -1], [j, -1]])) / (4 * hi * hj);
      row[j] = v;
      (H[j] as number[])[i] = v;
    }
  }
  return H;
}

/**
 * The Hessian of f at x by central differences of its analytic gradient (2n gradient evaluations, error
 * O(h²)), symmetrised. Steps scale with |x_i| like numericHessian's.
 */
export function hessianFromGradient(gradient: (x: readonly number[]) => number[], x: readonly number[], h = 1e-5): number[][] {
  const n = x.length;
  const columns = x.map((xi, i) => {
    const step = h * Math.max(1, Math.abs(xi));
    const p = x.slice();
    p[i] = xi + step;
    const up = gradient(p);
    p[i] = xi - step;
    const down = gradient(p);
    return up.map((u, j) => (u - (down[j] as number)) / (2 * step));
  });
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (((columns[i] as number[])[j] as number) + ((columns[j] as number[])[i] as number)) / 2),
  );
}
