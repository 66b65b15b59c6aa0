import digamma from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import type { ValueAndGradient } from '../bg-nbd/value-and-gradient.js';
import type { SummaryGroups } from '../summary-groups.js';
import { logPowerIntegralQuadrature } from '../power-integral-quadrature.js';
import { SERIES_LIMIT } from '../power-integral.js';
import type { ParetoNbdParams } from './log-likelihood.js';
import { paretoTailTerm } from './tail-term.js';

const UNDEFINED: ValueAndGradient = { value: NaN, gradient: [NaN, NaN, NaN, NaN] };

/**
 * The Pareto/NBD log-likelihood (the same sum as paretoNbdLogLikelihood) and its gradient with respect to
 * (r, α, s, β), in one pass over grouped rows. Per customer
 *
 *   ln L = r ln α + s ln β − lnΓ(r) + lnΓ(r+x) + ln[ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) · A₀ ],
 *   A₀ = F(tₓ) − F(T)
 *
 * with F the ₂F₁ tail term (paretoTailTerm), evaluated with its derivatives once per distinct (x, y)
 * point rather than per customer; ∂ln A₀ = (F(tₓ)∂ln F(tₓ) − F(T)∂ln F(T)) / A₀. Where the series argument
 * at tₓ exceeds SERIES_LIMIT, A₀ = (r+s+x)∫_{tₓ}^T (α+y)^−(r+x)(β+y)^−(s+1)dy comes from quadrature with
 * its derivatives instead, as paretoLogA0 does. The two branches are mixed by their shares, as in BG/NBD.
 */
export function paretoNbdValueAndGradient(p: ParetoNbdParams, d: SummaryGroups): ValueAndGradient {
  const { r, alpha, s, beta } = p;
  if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return UNDEFINED;
  const logAlpha = Math.log(alpha);
  const logBeta = Math.log(beta);
  const logS = Math.log(s);
  const headAll = r * logAlpha + s * logBeta - gammaln(r);
  const psiR = digamma(r);
  const nx = d.xValues.length;
  const head = new Float64Array(nx);
  const headR = new Float64Array(nx);
  const logE = new Float64Array(nx);
  for (let k = 0; k < nx; k++) {
    const x = d.xValues[k] as number;
    head[k] = headAll + gammaln(r + x);
    headR[k] = logAlpha - psiR + digamma(r + x);
    logE[k] = Math.log(r + s + x);
  }
  const logAT = d.tValues.map((T) => Math.log(alpha + T));
  const logBT = d.tValues.map((T) => Math.log(beta + T));
  const invAT = d.tValues.map((T) => 1 / (alpha + T));
  const invBT = d.tValues.map((T) => 1 / (beta + T));

  // The tail term at every point the series can take (argument ≤ SERIES_LIMIT), 5 numbers each.
  const gap = Math.abs(alpha - beta);
  const m = Math.max(alpha, beta);
  const nPoints = d.pointX.length;
  const tail = new Float64Array(5 * nPoints).fill(NaN);
  for (let q = 0; q < nPoints; q++) {
    const y = d.pointY[q] as number;
    if (gap / (m + y) <= SERIES_LIMIT) paretoTailTerm(r, alpha, s, beta, d.pointX[q] as number, y, tail, 5 * q);
  }

  const quad = new Float64Array(4);
  const gA0 = [0, 0, 0, 0];
  let value = 0;
  let gr = 0;
  let galpha = 0;
  let gs = 0;
  let gbeta = 0;
  for (let i = 0; i < d.size; i++) {
    const k = d.xIndex[i] as number;
    const t = d.tIndex[i] as number;
    const w = d.weight[i] as number;
    const x = d.xValues[k] as number;
    const tx = d.txValues[d.txIndex[i] as number] as number;
    const T = d.tValues[t] as number;
    const e = r + s + x;
    const alive = -(r + x) * (logAT[t] as number) - s * (logBT[t] as number);
    // ln A₀ and its gradient.
    let logA0 = -Infinity;
    if (tx < T) {
      if (gap / (m + tx) > SERIES_LIMIT) {
        logA0 = (logE[k] as number) + logPowerIntegralQuadrature(alpha, r + x, beta, s + 1, tx, T, quad);
        gA0[0] = 1 / e + (quad[0] as number);
        gA0[1] = quad[2] as number;
        gA0[2] = 1 / e + (quad[1] as number);
        gA0[3] = quad[3] as number;
      } else {
        const o0 = 5 * (d.txPoint[i] as number);
        const o1 = 5 * (d.tPoint[i] as number);
        const l0 = tail[o0] as number;
        const l1 = tail[o1] as number;
        if (Number.isNaN(l0) || Number.isNaN(l1)) return UNDEFINED;
        if (l1 < l0) {
          // A₀ = F0(1 − ρ), ρ = F1/F0; ∂ln A₀ = (∂ln F0 − ρ ∂ln F1)/(1 − ρ).
          const rho = Math.exp(l1 - l0);
          logA0 = l0 + Math.log1p(-rho);
          for (let j = 0; j < 4; j++) gA0[j] = ((tail[o0 + 1 + j] as number) - rho * (tail[o1 + 1 + j] as number)) / (1 - rho);
        }
      }
    }
    let mix = alive;
    let wl = 0;
    if (logA0 !== -Infinity) {
      const left = logS - (logE[k] as number) + logA0;
      if (left <= alive) {
        const q = Math.exp(left - alive);
        mix = alive + Math.log1p(q);
        wl = q / (1 + q);
      } else {
        const q = Math.exp(alive - left);
        mix = left + Math.log1p(q);
        wl = 1 / (1 + q);
      }
    }
    const wa = 1 - wl;
    value += w * ((head[k] as number) + mix);
    gr += w * ((headR[k] as number) - wa * (logAT[t] as number) + (wl === 0 ? 0 : wl * (-1 / e + (gA0[0] as number))));
    galpha += w * (r / alpha - wa * (r + x) * (invAT[t] as number) + (wl === 0 ? 0 : wl * (gA0[1] as number)));
    gs += w * (logBeta - wa * (logBT[t] as number) + (wl === 0 ? 0 : wl * (1 / s - 1 / e + (gA0[2] as number))));
    gbeta += w * (s / beta - wa * s * (invBT[t] as number) + (wl === 0 ? 0 : wl * (gA0[3] as number)));
  }
  return { value, gradient: [gr, galpha, gs, gbeta] };
}
