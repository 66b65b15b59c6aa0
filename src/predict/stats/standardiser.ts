import type { Matrix } from './matrix.js';

/** Per-column centre and scale learned on training data, applied unchanged to later data. */
export interface Standardiser {
  readonly means: readonly number[];
  /** Population standard deviation; 0 marks a constant column, which standardises to 0 everywhere. */
  readonly sds: readonly number[];
}

/**
 * Learns each column's mean and population standard deviation over its non-missing (non-NaN) values.
 * A column with no values, or one value repeated, gets sd 0: it carries no information, and
 * standardising maps it to 0 so the model neither uses it nor fails on it.
 */
export function fitStandardiser(x: Matrix): Standardiser {
  const { rows, cols, data } = x;
  const sum = new Float64Array(cols);
  const count = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j] as number;
      if (!Number.isNaN(v)) {
        sum[j] = (sum[j] as number) + v;
        count[j] = (count[j] as number) + 1;
      }
    }
  }
  const means = Array.from(sum, (s, j) => ((count[j] as number) > 0 ? s / (count[j] as number) : 0));
  const sq = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j] as number;
      if (!Number.isNaN(v)) sq[j] = (sq[j] as number) + (v - (means[j] as number)) ** 2;
    }
  }
  const sds = Array.from(sq, (s, j) => {
    const c = count[j] as number;
    const sd = c > 0 ? Math.sqrt(s / c) : 0;
    // Round-off leaves a tiny sd on a constant column; treat anything that small relative to the mean as 0.
    return sd > 1e-12 * Math.max(1, Math.abs(means[j] as number)) ? sd : 0;
  });
  return { means, sds };
}
