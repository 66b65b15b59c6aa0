import { logHyp2f1 } from '../hyp2f1.js';
import type { CustomerSummary } from '../summary.js';
import type { BgNbdParams } from './log-likelihood.js';

/**
 * Expected purchases in the next t time units of a customer with history (x, tₓ, T) who is alive at T,
 * under BG/NBD (Fader, Hardie & Lee 2005, eq. 10 without its P(alive) factor):
 *
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *
 * Split from P(alive) so a caller evaluating many horizons computes P(alive) once. a = 1 is a removable
 * singularity: the mean of a = 1 ± 1e-5.
 */
export function bgNbdExpectedIfAlive(p: BgNbdParams, c: CustomerSummary, t: number): number {
  if (t <= 0) return 0;
  if (Math.abs(p.a - 1) < 1e-6) {
    return (bgNbdExpectedIfAlive({ ...p, a: 1 - 1e-5 }, c, t) + bgNbdExpectedIfAlive({ ...p, a: 1 + 1e-5 }, c, t)) / 2;
  }
  const { r, alpha, a, b } = p;
  const { x, T } = c;
  const z = t / (alpha + T + t);
  const logTerm = (r + x) * Math.log((alpha + T) / (alpha + T + t)) + logHyp2f1(r + x, b + x, a + b + x - 1, z);
  return ((a + b + x - 1) / (a - 1)) * -Math.expm1(logTerm);
}
