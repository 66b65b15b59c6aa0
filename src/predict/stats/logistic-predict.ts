import type { Matrix } from './matrix.js';
import { sigmoid } from './sigmoid.js';

/** Probabilities σ(b + xᵢ·w) for every row of an (already standardised) matrix. */
export function logisticPredict(x: Matrix, intercept: number, weights: readonly number[]): Float64Array {
  const { rows, cols, data } = x;
  if (weights.length !== cols) throw new RangeError(`logisticPredict: ${cols} columns but ${weights.length} weights`);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = intercept;
    const row = i * cols;
    for (let j = 0; j < cols; j++) z += (data[row + j] as number) * (weights[j] as number);
    out[i] = sigmoid(z);
  }
  return out;
}
