import type { Matrix } from './matrix.js';

/**
 * How many different points a matrix holds (rows equal in every column count once). k-means cannot
 * find more clusters than this: with k larger, some centres share a point or stay empty.
 * Rows are compared exactly, by their bits, so the count never depends on a tolerance.
 */
export function distinctRows(x: Matrix): number {
  const seen = new Set<string>();
  const { n, d, data } = x;
  for (let i = 0; i < n; i++) {
    let key = '';
    for (let t = 0; t < d; t++) key += `${data[i * d + t]},`;
    seen.add(key);
  }
  return seen.size;
}
