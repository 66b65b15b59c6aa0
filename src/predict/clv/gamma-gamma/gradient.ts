import digamma from '@stdlib/math-base-special-digamma';
import { perCount } from '../per-count.js';
import type { GammaGammaParams, SpendData } from './log-likelihood.js';

/** The analytic gradient of gammaGammaLogLikelihood with respect to (p, q, γ). */
export function gammaGammaGradient(params: GammaGammaParams, d: SpendData): [number, number, number] {
  const { p, q, gamma } = params;
  const psiQ = digamma(q);
  const logGamma = Math.log(gamma);
  const psiSumOf = perCount((x) => digamma(p * x + q));
  const psiPxOf = perCount((x) => digamma(p * x));
  let gp = 0;
  let gq = 0;
  let gg = 0;
  for (let i = 0; i < d.x.length; i++) {
    const x = d.x[i] as number;
    const m = d.mx[i] as number;
    const psiSum = psiSumOf(x);
    const logDen = Math.log(gamma + x * m);
    gp += x * (psiSum - psiPxOf(x) + Math.log(m) + Math.log(x) - logDen);
    gq += psiSum - psiQ + logGamma - logDen;
    gg += q / gamma - (p * x + q) / (gamma + x * m);
  }
  return [gp, gq, gg];
}
