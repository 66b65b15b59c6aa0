/**
 * Solves A·x = b for a symmetric positive definite A (n×n, row-major) by Cholesky factorisation
 * A = L·Lᵀ, then forward and back substitution. Used for the Newton step of the logistic fit, whose
 * matrix XᵀWX + λI is positive definite whenever λ > 0.
 *
 * Throws when A is not positive definite (a pivot ≤ 0): the caller asked for something impossible and a
 * silent NaN would travel far before anyone saw it.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(s > 0)) throw new RangeError(`choleskySolve: matrix not positive definite at pivot ${i} (${s})`);
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / (l[j * n + j] as number);
      }
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (y[k] as number);
    y[i] = s / (l[i * n + i] as number);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = s / (l[i * n + i] as number);
  }
  return x;
}
