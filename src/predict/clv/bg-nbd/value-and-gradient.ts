import digamma from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import type { SummaryGroups } from '../summary-groups.js';
import type { BgNbdParams } from './log-likelihood.js';

/** A log-likelihood and its gradient in the model's natural parameters, from one pass over the data. */
export interface ValueAndGradient {
  readonly value: number;
  readonly gradient: number[];
}

const UNDEFINED: ValueAndGradient = { value: NaN, gradient: [NaN, NaN, NaN, NaN] };

/**
 * The BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6; the same sum as bgNbdLogLikelihood) and its
 * gradient with respect to (r, α, a, b), in one pass over grouped rows. Each customer's likelihood is
 * e^(A1+A2)·(e^A3 + [x>0]e^A4), A3 the "alive at T" branch −(r+x)ln(α+T), A4 the "dropped out after tₓ"
 * branch ln(a/(b+x−1)) − (r+x)ln(α+tₓ); each derivative is the A1+A2 part (digammas, per distinct x) plus
 * the branch derivatives weighted by the branch shares w3 = e^A3/(e^A3+e^A4) and w4 = 1 − w3. Logarithms
 * of α+T and α+tₓ are taken once per distinct value, so a row costs one exp and one log1p.
 */
export function bgNbdValueAndGradient(p: BgNbdParams, d: SummaryGroups): ValueAndGradient {
  const { r, alpha, a, b } = p;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return UNDEFINED;
  const logAlpha = Math.log(alpha);
  const logA = Math.log(a);
  const lgR = gammaln(r);
  const lgB = gammaln(b);
  const lgAB = gammaln(a + b);
  const psiR = digamma(r);
  const psiB = digamma(b);
  const psiAB = digamma(a + b);
  // Per distinct x: the x-only part of the log-likelihood, of each derivative, and ln(a/(b+x−1)).
  const nx = d.xValues.length;
  const head = new Float64Array(nx);
  const headR = new Float64Array(nx);
  const headA = new Float64Array(nx);
  const headB = new Float64Array(nx);
  const logDrop = new Float64Array(nx);
  const dropB = new Float64Array(nx);
  for (let k = 0; k < nx; k++) {
    const x = d.xValues[k] as number;
    const psiABx = digamma(a + b + x);
    head[k] = gammaln(r + x) - lgR + r * logAlpha + lgAB + gammaln(b + x) - lgB - gammaln(a + b + x);
    headR[k] = digamma(r + x) - psiR + logAlpha;
    headA[k] = psiAB - psiABx;
    headB[k] = psiAB + digamma(b + x) - psiB - psiABx;
    logDrop[k] = x > 0 ? logA - Math.log(b + x - 1) : -Infinity;
    dropB[k] = x > 0 ? 1 / (b + x - 1) : 0;
  }
  const logAT = d.tValues.map((T) => Math.log(alpha + T));
  const invAT = d.tValues.map((T) => 1 / (alpha + T));
  const logATx = d.txValues.map((tx) => Math.log(alpha + tx));
  const invATx = d.txValues.map((tx) => 1 / (alpha + tx));
  let value = 0;
  let gr = 0;
  let galpha = 0;
  let ga = 0;
  let gb = 0;
  for (let i = 0; i < d.size; i++) {
    const k = d.xIndex[i] as number;
    const t = d.tIndex[i] as number;
    const w = d.weight[i] as number;
    const rx = r + (d.xValues[k] as number);
    const a3 = -rx * (logAT[t] as number);
    let mix = a3;
    let w4 = 0;
    let lx = 0;
    let ix = 0;
    if (logDrop[k] !== -Infinity) {
      const u = d.txIndex[i] as number;
      lx = logATx[u] as number;
      ix = invATx[u] as number;
      const a4 = (logDrop[k] as number) - rx * lx;
      // log(e^a3 + e^a4) and w4 = e^a4/(e^a3 + e^a4), from one exponential of the smaller over the larger.
      if (a4 <= a3) {
        const e = Math.exp(a4 - a3);
        mix = a3 + Math.log1p(e);
        w4 = e / (1 + e);
      } else {
        const e = Math.exp(a3 - a4);
        mix = a4 + Math.log1p(e);
        w4 = 1 / (1 + e);
      }
    }
    const w3 = 1 - w4;
    value += w * ((head[k] as number) + mix);
    gr += w * ((headR[k] as number) - w3 * (logAT[t] as number) - w4 * lx);
    galpha += w * (r / alpha - rx * (w3 * (invAT[t] as number) + w4 * ix));
    ga += w * ((headA[k] as number) + w4 / a);
    gb += w * ((headB[k] as number) - w4 * (dropB[k] as number));
  }
  return { value, gradient: [gr, galpha, ga, gb] };
}
