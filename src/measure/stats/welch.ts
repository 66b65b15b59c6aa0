import { studentTQuantile, studentTTwoSidedP } from './distributions.js';
import { ALPHA, symmetricInterval, UNDEFINED_INTERVAL, type Interval } from './interval.js';

export interface WelchResult {
  readonly difference: Interval;
  readonly pValue: number | null;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number | null;
  /** Standard error of the difference. */
  readonly se: number | null;
}

/**
 * Welch's unequal-variance comparison of two means: difference mean1 − mean0, standard error
 * √(v1/n1 + v0/n0) from the sample variances (n − 1 denominators), Welch–Satterthwaite degrees of freedom
 * df = se⁴ / ((v1/n1)²/(n1−1) + (v0/n0)²/(n0−1)), a t interval and a two-sided t test (Welch 1947).
 * The same as scipy.stats.ttest_ind(equal_var=False) and statsmodels CompareMeans.tconfint_diff(usevar='unequal').
 * Needs n ≥ 2 in each group; otherwise every figure is null. Two constant groups give se 0: the interval
 * is the point, and the p-value is 1 when the means are equal, 0 when they differ.
 */
export function welchDifference(mean1: number, var1: number, n1: number, mean0: number, var0: number, n0: number): WelchResult {
  if (n1 < 2 || n0 < 2) return { difference: UNDEFINED_INTERVAL, pValue: null, df: null, se: null };
  const a = var1 / n1;
  const b = var0 / n0;
  const se = Math.sqrt(a + b);
  const diff = mean1 - mean0;
  if (se === 0) return { difference: symmetricInterval(diff, 0), pValue: diff === 0 ? 1 : 0, df: null, se: 0 };
  const df = (a + b) ** 2 / (a ** 2 / (n1 - 1) + b ** 2 / (n0 - 1));
  const q = studentTQuantile(1 - ALPHA / 2, df);
  return { difference: symmetricInterval(diff, q * se), pValue: studentTTwoSidedP(diff / se, df), df, se };
}
