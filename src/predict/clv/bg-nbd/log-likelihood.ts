import gammaln from '@stdlib/math-base-special-gammaln';
import { perCount } from '../per-count.js';
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
  const w = d.weight;
  let total = 0;
  for (let i = 0; i < d.x.length; i++) {
    const x = d.x[i] as number;
    const tx = d.tx[i] as number;
    const T = d.T[i] as number;
    const a3 = -(r + x) * Math.log(alpha + T);
    let mix = a3;
    if (x > 0) {
      const a4 = dropOut(x) - (r + x) * Math.log(alpha + tx);
      const hi = Math.max(a3, a4);
      mix = hi + Math.log(Math.exp(a3 - hi) + Math.exp(a4 - hi));
    }
    total += (w ? (w[i] as number) : 1) * (byCount(x) + mix);
  }
  return total;
}
