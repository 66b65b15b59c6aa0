import digamma from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import type { ValueAndGradient } from '../bg-nbd/value-and-gradient.js';
import { distinctValues } from '../summary-groups.js';
import type { GammaGammaParams, SpendData } from './log-likelihood.js';

/** Spend data prepared once for many evaluations: what does not depend on the parameters is computed here. */
export interface SpendRows {
  readonly size: number;
  /** Index of each row's x among the distinct values. */
  readonly xIndex: Int32Array;
  readonly xValues: Float64Array;
  /** ln x of each distinct x. */
  readonly logX: Float64Array;
  /** x·m̄ₓ and ln m̄ₓ of each row. */
  readonly xm: Float64Array;
  readonly logM: Float64Array;
}

export function spendRows(d: SpendData): SpendRows {
  const xs = distinctValues(d.x);
  return {
    size: d.x.length,
    xIndex: xs.index,
    xValues: xs.values,
    logX: xs.values.map(Math.log),
    xm: d.x.map((x, i) => x * (d.mx[i] as number)),
    logM: d.mx.map(Math.log),
  };
}

const UNDEFINED: ValueAndGradient = { value: NaN, gradient: [NaN, NaN, NaN] };

/**
 * The Gamma-Gamma log-likelihood (the same sum as gammaGammaLogLikelihood) and its gradient with respect
 * to (p, q, γ), in one pass:
 *
 *   ln f = −lnΓ(q) + q ln γ + lnΓ(px+q) − lnΓ(px) + px ln x + (px−1) ln m̄ₓ − (px+q) ln(γ + x m̄ₓ)
 *   ∂p = x [ψ(px+q) − ψ(px) + ln x + ln m̄ₓ − ln(γ + x m̄ₓ)],  ∂q = ψ(px+q) − ψ(q) + ln γ − ln(γ + x m̄ₓ),
 *   ∂γ = q/γ − (px+q)/(γ + x m̄ₓ)
 *
 * with the special functions once per distinct x and one logarithm per customer.
 */
export function gammaGammaValueAndGradient(params: GammaGammaParams, d: SpendRows): ValueAndGradient {
  const { p, q, gamma } = params;
  if (!(p > 0 && q > 0 && gamma > 0)) return UNDEFINED;
  const logGamma = Math.log(gamma);
  const psiQ = digamma(q);
  const nx = d.xValues.length;
  const head = new Float64Array(nx);
  const headP = new Float64Array(nx);
  const psiSum = new Float64Array(nx);
  for (let k = 0; k < nx; k++) {
    const px = p * (d.xValues[k] as number);
    head[k] = gammaln(px + q) - gammaln(px) + px * (d.logX[k] as number);
    psiSum[k] = digamma(px + q);
    headP[k] = (d.xValues[k] as number) * ((psiSum[k] as number) - digamma(px) + (d.logX[k] as number));
  }
  let value = 0;
  let gp = 0;
  let gq = 0;
  let gg = 0;
  for (let i = 0; i < d.size; i++) {
    const k = d.xIndex[i] as number;
    const x = d.xValues[k] as number;
    const px = p * x;
    const den = gamma + (d.xm[i] as number);
    const logDen = Math.log(den);
    const logM = d.logM[i] as number;
    value += (head[k] as number) + (px - 1) * logM - (px + q) * logDen;
    gp += (headP[k] as number) + x * (logM - logDen);
    gq += (psiSum[k] as number) - logDen;
    gg -= (px + q) / den;
  }
  const n = d.size;
  value += n * (q * logGamma - gammaln(q));
  gq += n * (logGamma - psiQ);
  gg += (n * q) / gamma;
  return { value, gradient: [gp, gq, gg] };
}
