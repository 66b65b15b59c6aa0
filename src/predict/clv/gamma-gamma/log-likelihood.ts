import gammaln from '@stdlib/math-base-special-gammaln';
import { perCount } from '../per-count.js';

/** Gamma-Gamma parameters: a transaction's value ~ Gamma(p, ν) with ν ~ Gamma(q, γ) across customers. */
export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly gamma: number;
}

/** Repeat buyers only: x ≥ 1 repeat transactions with mean value mx > 0. */
export interface SpendData {
  readonly x: Float64Array;
  readonly mx: Float64Array;
}

/**
 * The Gamma-Gamma log-likelihood of the observed mean spends (Fader, Hardie & Lee 2005, "RFM and CLV",
 * eq. 3 in the form BTYD's spend.LL uses):
 *   f(m̄ₓ | x) = Γ(px+q)/(Γ(px)Γ(q)) · γ^q m̄ₓ^(px−1) x^(px) / (γ + x m̄ₓ)^(px+q).
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, d: SpendData): number {
  const { p, q, gamma } = params;
  if (!(p > 0 && q > 0 && gamma > 0)) return NaN;
  const head = -gammaln(q) + q * Math.log(gamma);
  const byCount = perCount((x) => head + gammaln(p * x + q) - gammaln(p * x) + p * x * Math.log(x));
  let total = 0;
  for (let i = 0; i < d.x.length; i++) {
    const x = d.x[i] as number;
    const m = d.mx[i] as number;
    const px = p * x;
    total += byCount(x) + (px - 1) * Math.log(m) - (px + q) * Math.log(gamma + x * m);
  }
  return total;
}
