/** An objective to minimise. It may return NaN or Infinity where it is undefined; that point just loses. */
export type Objective = (x: readonly number[]) => number;

export interface NelderMeadOptions {
  /** Initial simplex edge along each axis. */
  readonly step?: number;
  readonly maxIterations?: number;
  /** Stop when the best and worst vertex values differ by less than this... */
  readonly fTolerance?: number;
  /** ...and the simplex is narrower than this along every axis. */
  readonly xTolerance?: number;
}

export interface NelderMeadResult {
  readonly x: number[];
  readonly value: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Minimises f from x0 by the Nelder–Mead simplex method (standard coefficients: reflect 1, expand 2,
 * contract ½, shrink ½). It uses no derivatives, so it survives the flat or undefined regions a likelihood
 * has far from its optimum; the caller polishes the result with a gradient method.
 */
export function nelderMead(f: Objective, x0: readonly number[], options: NelderMeadOptions = {}): NelderMeadResult {
  const n = x0.length;
  const step = options.step ?? 0.5;
  const maxIterations = options.maxIterations ?? 2000 * n;
  const fTol = options.fTolerance ?? 1e-10;
  const xTol = options.xTolerance ?? 1e-8;
  const safe = (x: readonly number[]): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };

  const simplex: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const v = x0.slice();
    v[i] = (v[i] as number) + step;
    simplex.push(v);
  }
  const values = simplex.map(safe);

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    const order = values.map((_, i) => i).sort((i, j) => (values[i] as number) - (values[j] as number));
    const sorted = order.map((i) => simplex[i] as number[]);
    const sortedValues = order.map((i) => values[i] as number);
    for (let i = 0; i <= n; i++) {
      simplex[i] = sorted[i] as number[];
      values[i] = sortedValues[i] as number;
    }
    const best = values[0] as number;
    const worst = values[n] as number;
    if (Number.isFinite(worst) && Math.abs(worst - best) <= fTol * (1 + Math.abs(best)) && width(simplex) <= xTol) {
      converged = true;
      break;
    }
    iterations++;

    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      const v = simplex[i] as number[];
      for (let k = 0; k < n; k++) centroid[k] = (centroid[k] as number) + (v[k] as number) / n;
    }
    const worstV = simplex[n] as number[];
    const along = (t: number): number[] => centroid.map((c, k) => c + t * (c - (worstV[k] as number)));

    const reflected = along(1);
    const fr = safe(reflected);
    if (fr < best) {
      const expanded = along(2);
      const fe = safe(expanded);
      if (fe < fr) replaceWorst(expanded, fe);
      else replaceWorst(reflected, fr);
      continue;
    }
    if (fr < (values[n - 1] as number)) {
      replaceWorst(reflected, fr);
      continue;
    }
    // Contract towards the better of the worst point and its reflection.
    const outside = fr < worst;
    const contracted = along(outside ? 0.5 : -0.5);
    const fc = safe(contracted);
    if (fc < (outside ? fr : worst)) {
      replaceWorst(contracted, fc);
      continue;
    }
    const b = simplex[0] as number[];
    for (let i = 1; i <= n; i++) {
      const v = simplex[i] as number[];
      simplex[i] = v.map((vk, k) => (b[k] as number) + 0.5 * (vk - (b[k] as number)));
      values[i] = safe(simplex[i] as number[]);
    }
  }

  let bestIndex = 0;
  for (let i = 1; i <= n; i++) if ((values[i] as number) < (values[bestIndex] as number)) bestIndex = i;
  return { x: (simplex[bestIndex] as number[]).slice(), value: values[bestIndex] as number, iterations, converged };

  function replaceWorst(x: number[], v: number): void {
    simplex[n] = x;
    values[n] = v;
  }
}

function width(simplex: readonly (readonly number[])[]): number {
  const first = simplex[0] as readonly number[];
  let w = 0;
  for (const v of simplex) for (let k = 0; k < v.length; k++) w = Math.max(w, Math.abs((v[k] as number) - (first[k] as number)));
  return w;
}
