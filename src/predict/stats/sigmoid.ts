/**
 * The logistic function 1 / (1 + e^(−z)), written so that neither branch overflows: for very negative z
 * it returns e^z / (1 + e^z) instead of dividing by an infinite denominator.
 */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
