import type { GammaGammaParams, SpendData } from './log-likelihood.js';
import { gammaGammaValueAndGradient, spendRows } from './value-and-gradient.js';

/** The analytic gradient of gammaGammaLogLikelihood with respect to (p, q, γ) (gammaGammaValueAndGradient). */
export function gammaGammaGradient(params: GammaGammaParams, d: SpendData): [number, number, number] {
  return gammaGammaValueAndGradient(params, spendRows(d)).gradient as [number, number, number];
}
