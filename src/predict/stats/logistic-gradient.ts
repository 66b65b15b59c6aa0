import type { Matrix } from './matrix.js';
import { sigmoid } from './sigmoid.js';

/**
 * Gradient of the penalised log-likelihood ℓ(b, w) − λ/2·‖w‖² with respect to (b, w): element 0 is
 * Σ(yᵢ − μᵢ), element j+1 is Σ(yᵢ − μᵢ)·xᵢⱼ − λ·wⱼ. Zero at the optimum; the tests check the fit with it.
 */
export function logisticGradient(
  x: Matrix,
  labels: ArrayLike<number>,
  intercept: number,
  weights: readonly number[],
  lambda: number,
): Float64Array {
  const { rows, cols, data } = x;
  const g = new Float64Array(cols + 1);
  for (let i = 0; i < rows; i++) {
    let z = intercept;
    const row = i * cols;
    for (let j = 0; j < cols; j++) z += (data[row + j] as number) * (weights[j] as number);
    const r = (labels[i] as number) - sigmoid(z);
    g[0] = (g[0] as number) + r;
    for (let j = 0; j < cols; j++) g[j + 1] = (g[j + 1] as number) + r * (data[row + j] as number);
  }
  for (let j = 0; j < cols; j++) g[j + 1] = (g[j + 1] as number) - lambda * (weights[j] as number);
  return g;
}
