import { matrix, type Matrix } from './matrix.js';

/**
 * log1p(max(0, x)) of every value, so a few very large spenders do not dominate distances and a net
 * spend below zero (more refunded than bought) counts as zero. A missing value (missing[i] = 1) is
 * replaced by the median of the column's transformed present values: the least surprising guess that
 * leaves the column's centre where it was. Returns the matrix and how many values were filled per column.
 */
export function logTransform(n: number, d: number, values: Float64Array, missing: Uint8Array): { x: Matrix; filled: number[] } {
  const x = matrix(n, d);
  const filled: number[] = [];
  for (let t = 0; t < d; t++) {
    const present: number[] = [];
    for (let i = 0; i < n; i++) {
      if (missing[i * d + t]) continue;
      const v = Math.log1p(Math.max(0, values[i * d + t]!));
      x.data[i * d + t] = v;
      present.push(v);
    }
    present.sort((a, b) => a - b);
    const mid = present.length >> 1;
    const median = present.length === 0 ? 0 : present.length % 2 ? present[mid]! : (present[mid - 1]! + present[mid]!) / 2;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (!missing[i * d + t]) continue;
      x.data[i * d + t] = median;
      count++;
    }
    filled.push(count);
  }
  return { x, filled };
}
