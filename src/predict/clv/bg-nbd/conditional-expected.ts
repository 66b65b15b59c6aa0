import { logHyp2f1 } from '../hyp2f1.js';
import type { CustomerSummary } from '../summary.js';
import type { BgNbdParams } from './log-likelihood.js';
import { bgNbdPAlive } from './p-alive.js';

/**
 * Expected purchases in the next t time units of a customer with history (x, tₓ, T) under BG/NBD
 * (Fader, Hardie & Lee 2005, eq. 10):
 *
 *   E[Y(t) | x, tₓ, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *                        · P(alive | x, tₓ, T)
 *
 * (the denominator of eq. 10 is exactly 1/P(alive)). a = 1 is a removable singularity, handled as in
 * bgNbdExpected.
 */
export function bgNbdConditionalExpected(p: BgNbdParams, c: CustomerSummary, t: number): number {
  if (t <= 0) return 0;
  if (Math.abs(p.a - 1) < 1e-6) {
    return (
      (bgNbdConditionalExpected({ ...p, a: 1 - 1e-5 }, c, t) + bgNbdConditionalExpected({ ...p, a: 1 + 1e-5 }, c, t)) / 2
    );
  }
  const { r, alpha, a, b } = p;
  const { x, T } = c;
  const z = t / (alpha + T + t);
  const logTerm = (r + x) * Math.log((alpha + T) / (alpha + T + t)) + logHyp2f1(r + x, b + x, a + b + x - 1, z);
  return ((a + b + x - 1) / (a - 1)) * -Math.expm1(logTerm) * bgNbdPAlive(p, c);
}
