/**
 * The inverse of a square matrix by Gauss–Jordan elimination with partial pivoting, or undefined when it
 * is singular to working precision (e.g. a Hessian at a boundary where a parameter is not identified).
 */
export function invertMatrix(m: readonly (readonly number[])[]): number[][] | undefined {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  let scale = 0;
  for (const row of m) for (const v of row) scale = Math.max(scale, Math.abs(v));
  if (!(scale > 0) || !Number.isFinite(scale)) return undefined;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs((a[r] as number[])[col] as number) > Math.abs((a[pivot] as number[])[col] as number)) pivot = r;
    }
    const p = (a[pivot] as number[])[col] as number;
    if (Math.abs(p) <= 1e-13 * scale) return undefined;
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const pr = a[col] as number[];
    for (let k = 0; k < 2 * n; k++) pr[k] = (pr[k] as number) / p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = a[r] as number[];
      const factor = row[col] as number;
      if (factor === 0) continue;
      for (let k = 0; k < 2 * n; k++) row[k] = (row[k] as number) - factor * (pr[k] as number);
    }
  }
  return a.map((row) => row.slice(n));
}
