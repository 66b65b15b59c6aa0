import gammaln from '@stdlib/math-base-special-gammaln';
import { perCount } from '../per-count.js';
import { logSumExp } from '../../../numeric/log-sum-exp.js';
import { sumOverCustomers } from '../sum-over-customers.js';
import type { Summaries } from '../summary.js';
import { paretoLogA0 } from './log-a0.js';

/** Pareto/NBD parameters: purchase rate λ ~ Gamma(r, α); drop-out rate μ ~ Gamma(s, β). */
export interface ParetoNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}

/**
 * The Pareto/NBD log-likelihood (Schmittlein, Morrison & Colombo 1987, in the Fader–Hardie form):
 *
 *   L = Γ(r+x)αʳβˢ/Γ(r) · [ 1/((α+T)^(r+x)(β+T)ˢ) + s/(r+s+x) · A₀ ]
 *
 * the first term for a customer still alive at T, the second for one who left between tₓ and T (A₀ in
 * paretoLogA0). Summed over customers, combined by log-sum-exp.
 */
export function paretoNbdLogLikelihood(p: ParetoNbdParams, d: Summaries): number {
  const { r, alpha, s, beta } = p;
  if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return NaN;
  const head = r * Math.log(alpha) + s * Math.log(beta) - gammaln(r);
  const logS = Math.log(s);
  const byCount = perCount((x) => head + gammaln(r + x));
  const leftHead = perCount((x) => logS - Math.log(r + s + x));
  return sumOverCustomers(d, (x, tx, T) => {
    const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
    const left = leftHead(x) + paretoLogA0(r, alpha, s, beta, x, tx, T);
    return byCount(x) + logSumExp(alive, left);
  });
}
