import { UNDEFINED_INTERVAL, type Interval } from './interval.js';

/**
 * Relative lift m1/m0 − 1 of two independent estimates (group means, or any metric's group values) with
 * variances v1, v0 of those estimates (already divided by n), and its 95% interval by Fieller's theorem
 * (Fieller 1954, "Some problems in interval estimation", JRSS B 16(2) 175–185): the ratios ρ = m1/m0 that
 * the absolute test would not reject, {ρ : (m1 − ρ·m0)² ≤ q²·(v1 + ρ²·v0)}, less 1. `q` is the critical value
 * of the absolute lift's own test (z₀.₉₇₅ for the Wald and delta-method tests, Welch's t quantile for means),
 * so the relative interval excludes 0 exactly when that test's p-value is below 0.05: the delta-method
 * interval (Deng, Knoblich & Lu 2018) is narrower for a negative lift and could exclude 0 beside p = 0.13.
 *
 * With A = m0² − q²·v0, the set is the interval [(m1·m0 − √D)/A, (m1·m0 + √D)/A], D = q²(m1²·v0 + A·v1),
 * when A > 0 (the control value is itself clearly away from 0). Otherwise the set is unbounded and both
 * ends are null while the estimate stays. Undefined (all null) when m0 ≤ 0 (a relative change against a
 * control at or below 0 has no meaning: a control mean of −7 and a treatment of +40 would read −671%, a
 * fall; trial 12, L5) or an input is not finite; the absolute lift still says how far and which way.
 */
export function relativeLift(m1: number, v1: number, m0: number, v0: number, q: number): Interval {
  if (!(m0 > 0) || ![m1, v1, m0, v0, q].every(Number.isFinite)) return UNDEFINED_INTERVAL;
  const estimate = m1 / m0 - 1;
  const a = m0 * m0 - q * q * v0;
  if (!(a > 0)) return { estimate, ci95: [null, null] };
  const root = Math.sqrt(q * q * (m1 * m1 * v0 + a * v1));
  return { estimate, ci95: [(m1 * m0 - root) / a - 1, (m1 * m0 + root) / a - 1] };
}

/**
 * The delta-method standard error of m1/m0 − 1: √(v1/m0² + m1²·v0/m0⁴) (Deng, Knoblich & Lu 2018,
 * "Applying the Delta Method in Metric Analytics", KDD, §3). The sequential (always-valid) relative interval
 * is built on it; null when m0 ≤ 0 (as relativeLift) or an input is not finite.
 */
export function relativeLiftSe(m1: number, v1: number, m0: number, v0: number): number | null {
  if (!(m0 > 0) || ![m1, v1, m0, v0].every(Number.isFinite)) return null;
  return Math.sqrt(v1 / (m0 * m0) + (m1 * m1 * v0) / m0 ** 4);
}
