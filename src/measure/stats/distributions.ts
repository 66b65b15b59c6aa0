import gammainc from '@stdlib/math-base-special-gammainc';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/**
 * The distribution functions measurement needs, from @stdlib (none is written here). Tails are taken
 * on the side where they are small (Φ(−|z|), not 1 − Φ(|z|)) so tiny p-values keep their digits.
 */

/** Φ(z), the standard normal CDF. */
export function standardNormalCdf(z: number): number {
  return normalCdf(z, 0, 1);
}

/** Φ⁻¹(p), the standard normal quantile; p in (0, 1). */
export function standardNormalQuantile(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** Two-sided p-value of a z statistic: 2 Φ(−|z|). */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, 2 * standardNormalCdf(-Math.abs(z)));
}

/** Student's t quantile with df degrees of freedom (df > 0, may be fractional as in Welch's test). */
export function studentTQuantile(p: number, df: number): number {
  return tQuantile(p, df);
}

/** Two-sided p-value of a t statistic with df degrees of freedom: 2 F_t(−|t|). */
export function studentTTwoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/**
 * Upper tail of the chi-squared distribution, P(X ≥ x) with df degrees of freedom, as the regularised
 * upper incomplete gamma function Q(df/2, x/2) (Abramowitz & Stegun 26.4.19), accurate far into the tail.
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammainc(x / 2, df / 2, true, true);
}
