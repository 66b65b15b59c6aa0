import { standardNormalCdf, standardNormalQuantile } from './distributions.js';
import { ALPHA } from './interval.js';

/** The power a plan aims for when it says how many customers are needed: 80%, the usual convention. */
export const TARGET_POWER = 0.8;

/**
 * Power of a two-sided z test at level α to detect a true difference `effect` when the estimate's
 * standard error is `se`: Φ(|effect|/se − z₁₋α/₂) + Φ(−|effect|/se − z₁₋α/₂) (both tails, as
 * statsmodels NormalIndPower). 0 effect or infinite se gives α·(something) — the false-positive rate.
 */
export function achievedPower(effect: number, se: number): number {
  if (!(se > 0)) return effect === 0 ? ALPHA : 1;
  const z = standardNormalQuantile(1 - ALPHA / 2);
  const d = Math.abs(effect) / se;
  return standardNormalCdf(d - z) + standardNormalCdf(-d - z);
}

/**
 * Customers needed in all, at the given split, to detect a true difference `effect` with power
 * TARGET_POWER in a two-sided test at level α: N = (z₁₋α/₂ + z_power)² (σ₀²/w₀ + σ₁²/w₁) / effect²,
 * where σ² are per-customer variances and w the groups' shares of N (the normal-approximation sample
 * size formula, e.g. Chow, Shao & Wang, "Sample Size Calculations in Clinical Research", §3.2). Infinity
 * when effect is 0.
 */
export function requiredTotal(effect: number, var0: number, share0: number, var1: number, share1: number, power = TARGET_POWER): number {
  if (effect === 0) return Infinity;
  const z = standardNormalQuantile(1 - ALPHA / 2) + standardNormalQuantile(power);
  return (z * z * (var0 / share0 + var1 / share1)) / (effect * effect);
}
