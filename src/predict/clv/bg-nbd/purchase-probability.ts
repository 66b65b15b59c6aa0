import type { CustomerSummary } from '../summary.js';
import type { BgNbdParams } from './log-likelihood.js';
import { bgNbdPAlive } from './p-alive.js';

/**
 * P(at least one purchase in (T, T+t] | x, tₓ, T) under BG/NBD. A customer dead at T never buys; one alive
 * at T has λ ~ Gamma(r+x, α+T) a posteriori and can only drop out after a purchase, so the first purchase
 * comes unless the Poisson clock stays silent:  P(alive) · [1 − ((α+T)/(α+T+t))^(r+x)].
 * t = Infinity gives P(alive).
 */
export function bgNbdPurchaseProbability(p: BgNbdParams, c: CustomerSummary, t: number): number {
  if (t <= 0) return 0;
  const pa = bgNbdPAlive(p, c);
  if (t === Infinity) return pa;
  return pa * -Math.expm1((p.r + c.x) * Math.log((p.alpha + c.T) / (p.alpha + c.T + t)));
}
