import type { Matrix } from './matrix.js';
import type { Standardiser } from './standardiser.js';

/**
 * Returns (x − mean) / sd per column with the standardiser learned on training data. A missing value
 * (NaN) becomes 0, the training mean: the model then takes no evidence from it, which is also what an
 * explanation should say ("no information"). Constant columns (sd 0) become 0.
 *
 * With `clip`, values are limited to [−clip, clip]: a linear model extrapolates without bound, and one
 * customer far outside anything seen in training (34 orders in two days, then a year of silence) should
 * not get a probability that the training data never supported.
 */
export function standardise(x: Matrix, s: Standardiser, clip = Infinity): Matrix {
  const { rows, cols, data } = x;
  if (s.means.length !== cols) throw new RangeError(`standardise: ${cols} columns but ${s.means.length} means`);
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    const m = s.means[j] as number;
    const sd = s.sds[j] as number;
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + j] as number;
      out[i * cols + j] = sd === 0 || Number.isNaN(v) ? 0 : Math.max(-clip, Math.min(clip, (v - m) / sd));
    }
  }
  return { rows, cols, data: out };
}
