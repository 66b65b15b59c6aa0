/**
 * What the database hands back per group for one metric: the number of customers, the mean of each
 * per-customer variable, and their sample covariance matrix (n − 1 denominator). Every estimate of
 * measurement is a function of these, so one aggregation pass over the assigned customers is enough,
 * whatever their number.
 */
export interface GroupMoments {
  readonly n: number;
  readonly mean: readonly number[];
  /** cov[i][j] = sample covariance of variables i and j; NaN-free (0 when n < 2). */
  readonly cov: readonly (readonly number[])[];
}

/** aᵀ Σ b. */
export function quadraticForm(a: readonly number[], cov: readonly (readonly number[])[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    if (ai === 0) continue;
    const row = cov[i]!;
    for (let j = 0; j < b.length; j++) s += ai * row[j]! * b[j]!;
  }
  return s;
}

/**
 * The moments of the union of several groups, exactly (the parallel form of Chan, Golub & LeVeque 1979):
 * pooled mean = Σ nₖ μₖ / N; (N − 1) Σ = Σ (nₖ − 1) Σₖ + Σ nₖ (μₖ − μ)(μₖ − μ)ᵀ.
 */
export function poolMoments(groups: readonly GroupMoments[]): GroupMoments {
  const d = groups[0]?.mean.length ?? 0;
  const n = groups.reduce((s, g) => s + g.n, 0);
  const mean = new Array<number>(d).fill(0);
  if (n === 0) return { n, mean, cov: mean.map(() => new Array<number>(d).fill(0)) };
  for (const g of groups) for (let i = 0; i < d; i++) mean[i]! += (g.n * g.mean[i]!) / n;
  const cov = mean.map(() => new Array<number>(d).fill(0));
  for (const g of groups) {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        cov[i]![j]! += (g.n > 1 ? (g.n - 1) * g.cov[i]![j]! : 0) + g.n * (g.mean[i]! - mean[i]!) * (g.mean[j]! - mean[j]!);
      }
    }
  }
  for (const row of cov) for (let j = 0; j < d; j++) row[j] = n > 1 ? row[j]! / (n - 1) : 0;
  return { n, mean, cov };
}
