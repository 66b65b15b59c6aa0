import { normalTwoSidedP, standardNormalQuantile } from './distributions.js';
import { ALPHA, symmetricInterval, UNDEFINED_INTERVAL, type Interval } from './interval.js';

export interface NormalResult {
  readonly interval: Interval;
  readonly pValue: number | null;
  readonly se: number | null;
}

/**
 * A large-sample (Wald) interval and two-sided z test for an estimate with standard error se:
 * estimate ± z₀.₉₇₅ · se, p = 2Φ(−|estimate / se|). se 0 gives the point itself (p 1 if the estimate is 0, else 0).
 */
export function normalInterval(estimate: number, se: number): NormalResult {
  if (!Number.isFinite(estimate) || !Number.isFinite(se) || se < 0) return { interval: UNDEFINED_INTERVAL, pValue: null, se: null };
  if (se === 0) return { interval: symmetricInterval(estimate, 0), pValue: estimate === 0 ? 1 : 0, se: 0 };
  const z = standardNormalQuantile(1 - ALPHA / 2);
  return { interval: symmetricInterval(estimate, z * se), pValue: normalTwoSidedP(estimate / se), se };
}

/**
 * Difference of two proportions p1 − p0 with the unpooled Wald standard error
 * √(p1(1−p1)/n1 + p0(1−p0)/n0) — statsmodels confint_proportions_2indep(method='wald') and
 * test_proportions_2indep(method='wald', compare='diff').
 */
export function proportionDifference(p1: number, n1: number, p0: number, n0: number): NormalResult {
  if (n1 < 1 || n0 < 1) return { interval: UNDEFINED_INTERVAL, pValue: null, se: null };
  return normalInterval(p1 - p0, Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0));
}
