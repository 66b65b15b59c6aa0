import { normalInterval, type NormalResult } from './normal-difference.js';
import { UNDEFINED_INTERVAL } from './interval.js';

/**
 * Relative lift m1/m0 − 1 of two independent estimates (group means, or any metric's group values)
 * with variances v1, v0 of those estimates (already divided by n), by the delta method:
 * Var(m1/m0) ≈ v1/m0² + m1² v0/m0⁴ (Deng, Knoblich & Lu 2018, "Applying the Delta Method in Metric
 * Analytics", KDD, §3; the form GrowthBook documents for its relative effects). Normal interval and z
 * test. Undefined (null) when m0 is 0.
 */
export function relativeLift(m1: number, v1: number, m0: number, v0: number): NormalResult {
  if (m0 === 0 || !Number.isFinite(m0)) return { interval: UNDEFINED_INTERVAL, pValue: null, se: null };
  const variance = v1 / (m0 * m0) + (m1 * m1 * v0) / m0 ** 4;
  return normalInterval(m1 / m0 - 1, Math.sqrt(variance));
}
