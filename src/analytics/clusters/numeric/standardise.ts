import { matrix, type Matrix } from './matrix.js';

export interface Standardised {
  readonly z: Matrix;
  readonly mean: Float64Array;
  /** Population standard deviation of each column; a constant column gets 1 so its z-scores are 0. */
  readonly sd: Float64Array;
  /** Columns with one value repeated in every row: they cannot tell any two rows apart. */
  readonly constant: readonly boolean[];
}

/**
 * z-scores of every column, (x − mean) / sd, so that each feature weighs the same in a distance
 * whatever its unit. Two passes (mean, then squared deviations) for accuracy on large columns.
 */
export function standardise(x: Matrix): Standardised {
  const { n, d, data } = x;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t]! += data[i * d + t]!;
  for (let t = 0; t < d; t++) mean[t] = n ? mean[t]! / n : 0;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) {
      const dev = data[i * d + t]! - mean[t]!;
      sd[t]! += dev * dev;
    }
  }
  const constant: boolean[] = [];
  for (let t = 0; t < d; t++) {
    const s = n ? Math.sqrt(sd[t]! / n) : 0;
    constant.push(!(s > 1e-12));
    sd[t] = s > 1e-12 ? s : 1;
  }
  const z = matrix(n, d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) z.data[i * d + t] = (data[i * d + t]! - mean[t]!) / sd[t]!;
  return { z, mean, sd, constant };
}
