import { logHyp2f1 } from '../hyp2f1.js';
import type { BgNbdParams } from './log-likelihood.js';

/**
 * Expected purchases of a newly acquired customer in (0, t] under BG/NBD (Fader, Hardie & Lee 2005,
 * eq. 7):  E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))ʳ ₂F₁(r, b; a+b−1; t/(α+t))].
 * At a = 1 both factors vanish; the limit is taken as the mean of the two sides a = 1 ± 1e-5.
 */
export function bgNbdExpected(p: BgNbdParams, t: number): number {
  if (t <= 0) return 0;
  if (Math.abs(p.a - 1) < 1e-6) {
    return (bgNbdExpected({ ...p, a: 1 - 1e-5 }, t) + bgNbdExpected({ ...p, a: 1 + 1e-5 }, t)) / 2;
  }
  const { r, alpha, a, b } = p;
  const z = t / (alpha + t);
  const logTerm = r * Math.log(alpha / (alpha + t)) + logHyp2f1(r, b, a + b - 1, z);
  return ((a + b - 1) / (a - 1)) * -Math.expm1(logTerm);
}
