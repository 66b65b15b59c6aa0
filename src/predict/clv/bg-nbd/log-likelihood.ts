import gammaln from '@stdlib/math-base-special-gammaln';
import { perCount } from '../per-count.js';
import { logSumExp } from '../../../numeric/log-sum-exp.js';
import { sumOverCustomers } from '../sum-over-customers.js';
import type { Summaries } from '../summary.js';

/** BG/NBD parameters: purchase rate λ ~ Gamma(r, α); drop-out probability after each purchase p ~ Beta(a, b). */
export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/**
 * The BG/NBD log-likelihood of a customer base (Fader, Hardie & Lee 2005, eq. 6), summed over customers:
 *
 *   L = B(a, b+x)/B(a, b) · Γ(r+x)αʳ / (Γ(r)(α+T)^(r+x))
 *     + [x > 0] B(a+1, b+x−1)/B(a, b) · Γ(r+x)αʳ / (Γ(r)(α+tₓ)^(r+x))
 *
 * evaluated in logs with the two terms combined by log-sum-exp, so neither underflows for heavy buyers.
 * Terms that depend only on x are computed once per distinct x (perCount).
 */
export function bgNbdLogLikelihood(p: BgNbdParams, d: Summaries): number {
  const { r, alpha, a, b } = p;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return NaN;
  const lgR = gammaln(r);
  const lgB = gammaln(b);
  const lgAB = gammaln(a + b);
  const logA = Math.log(a);
  const logAlpha = Math.log(alpha);
  // Everything that depends on the customer only through x.
  const byCount = perCount((x) => gammaln(r + x) - lgR + r * logAlpha + lgAB + gammaln(b + x) - lgB - gammaln(a + b + x));
  const dropOut = perCount((x) => logA - Math.log(b + x - 1));
  return sumOverCustomers(d, (x, tx, T) => {
    const alive = -(r + x) * Math.log(alpha + T);
    // A customer with repeat purchases may also have dropped out right after the last one.
    const mix = x > 0 ? logSumExp(alive, dropOut(x) - (r + x) * Math.log(alpha + tx)) : alive;
    return byCount(x) + mix;
  });
}
