import type { GammaGammaParams } from './log-likelihood.js';

/**
 * Expected value of a customer's future transactions given x repeat transactions with mean mx
 * (Fader, Hardie & Lee 2005, "RFM and CLV", eq. 5):
 *   E[M | p, q, γ, m̄ₓ, x] = p(γ + x m̄ₓ) / (px + q − 1),
 * a weighted mean of the population mean pγ/(q−1) and the customer's own mean. With x = 0 it is the
 * population mean, defined for q > 1 only (undefined otherwise: NaN).
 */
export function gammaGammaConditionalMean(params: GammaGammaParams, x: number, mx: number): number {
  const { p, q, gamma } = params;
  const den = p * x + q - 1;
  if (!(den > 0)) return NaN;
  return (p * (gamma + (x > 0 ? x * mx : 0))) / den;
}
