import type { CustomerSummary } from '../summary.js';
import type { BgNbdParams } from './log-likelihood.js';

/**
 * P(alive | x, tₓ, T) under BG/NBD (Fader, Hardie & Lee 2005, eq. 11):
 *   1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)).
 * A customer with no repeat purchase is alive with probability 1 in this model (a drop-out can only follow
 * a purchase); the ratio is formed in logs so a long silence of a heavy buyer gives ~0, not NaN.
 */
export function bgNbdPAlive(p: BgNbdParams, c: CustomerSummary): number {
  if (c.x <= 0) return 1;
  const logOdds =
    Math.log(p.a) - Math.log(p.b + c.x - 1) + (p.r + c.x) * (Math.log(p.alpha + c.T) - Math.log(p.alpha + c.tx));
  return 1 / (1 + Math.exp(logOdds));
}
