import { ALPHA, symmetricInterval, UNDEFINED_INTERVAL, type Interval } from './interval.js';

export interface SequentialResult {
  readonly interval: Interval;
  /** Always-valid p-value: 1 / (mixture likelihood ratio), at most 1. */
  readonly pValue: number | null;
}

/**
 * An always-valid 95% interval for an estimate with variance `variance` (already divided by n) after n
 * observations: the asymptotic confidence sequence of Waudby-Smith, Arbour, Sinha, Kennedy & Ramdas
 * (2023, "Time-uniform central limit theory and asymptotic confidence sequences", Thm 2.2), which is the
 * normal-mixture SPRT (mSPRT) of Johari, Koomen, Pekelis & Walsh (2017, "Peeking at A/B Tests", KDD;
 * Operations Research 2022) written as an interval — the method GrowthBook and Eppo document:
 *
 *   estimate ± √( V · (nρ² + 1)/(nρ²) · (ln(nρ² + 1) − 2 ln α) ),   ρ² = (−2 ln α + ln(1 − 2 ln α)) / n*
 *
 * ρ is fixed in advance from the planned number of observations n* (the sequence is tightest there).
 * With the same ρ the mixture likelihood ratio is Λ = (nρ² + 1)^(−1/2) · exp(z² nρ² / (2(nρ² + 1))),
 * z² = estimate² / V, and p = min(1, 1/Λ) is below α exactly when 0 is outside the interval. By Ville's
 * inequality the chance that the interval ever misses the truth, at any of any number of looks, is ≤ α.
 */
export function confidenceSequence(estimate: number, variance: number, n: number, plannedN: number, alpha = ALPHA): SequentialResult {
  if (!Number.isFinite(estimate) || !Number.isFinite(variance) || variance < 0 || n < 1 || plannedN < 1) {
    return { interval: UNDEFINED_INTERVAL, pValue: null };
  }
  const rho2 = (-2 * Math.log(alpha) + Math.log(1 - 2 * Math.log(alpha))) / plannedN;
  const k = n * rho2;
  if (variance === 0) return { interval: symmetricInterval(estimate, 0), pValue: estimate === 0 ? 1 : 0 };
  const half = Math.sqrt(variance * ((k + 1) / k) * (Math.log(k + 1) - 2 * Math.log(alpha)));
  const z2 = (estimate * estimate) / variance;
  const logLambda = -0.5 * Math.log(k + 1) + (z2 * k) / (2 * (k + 1));
  return { interval: symmetricInterval(estimate, half), pValue: Math.min(1, Math.exp(-logLambda)) };
}
