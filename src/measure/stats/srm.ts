import { chiSquareSurvival } from './distributions.js';

export interface SrmResult {
  readonly chiSquare: number;
  readonly df: number;
  /** P(χ² ≥ observed) under the planned split; null when no customer is assigned. */
  readonly pValue: number | null;
}

/**
 * The sample-ratio-mismatch test: Pearson's chi-squared goodness of fit of the observed group sizes to
 * the planned shares, Σ (O − E)² / E with k − 1 degrees of freedom (as scipy.stats.chisquare). A small
 * p-value (the usual alarm is p < 0.001: Fabijan et al. 2019, "Diagnosing Sample Ratio Mismatch in Online
 * Controlled Experiments", KDD) means the assignment or the data lost customers unevenly, and the
 * experiment's results should not be trusted. `weights` need not sum to 1.
 */
export function sampleRatioMismatch(observed: readonly number[], weights: readonly number[]): SrmResult {
  const total = observed.reduce((s, x) => s + x, 0);
  const wsum = weights.reduce((s, x) => s + x, 0);
  const df = observed.length - 1;
  if (total === 0 || wsum <= 0 || df < 1) return { chiSquare: 0, df: Math.max(df, 0), pValue: null };
  let chi = 0;
  for (let i = 0; i < observed.length; i++) {
    const expected = (total * weights[i]!) / wsum;
    chi += expected > 0 ? (observed[i]! - expected) ** 2 / expected : 0;
  }
  return { chiSquare: chi, df, pValue: chiSquareSurvival(chi, df) };
}
