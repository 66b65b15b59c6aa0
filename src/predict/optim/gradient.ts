import type { Objective } from './nelder-mead.js';

/**
 * The gradient of f at x by central differences. The step scales with |x_i| (and never falls below
 * h·1) so parameters of any size get a relative perturbation; the truncation error is O(h²).
 */
export function numericGradient(f: Objective, x: readonly number[], h = 1e-5): number[] {
  const g = new Array<number>(x.length);
  const probe = x.slice();
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const d = h * Math.max(1, Math.abs(xi));
    probe[i] = xi + d;
    const up = f(probe);
    probe[i] = xi - d;
    const down = f(probe);
    probe[i] = xi;
    g[i] = (up - down) / (2 * d);
  }
  return g;
}
