import type { CustomerSummary } from '../summary.js';
import { bgNbdExpectedIfAlive } from './expected-if-alive.js';
import type { BgNbdParams } from './log-likelihood.js';
import { bgNbdPAlive } from './p-alive.js';

/**
 * Expected purchases in the next t time units of a customer with history (x, tₓ, T) under BG/NBD
 * (Fader, Hardie & Lee 2005, eq. 10): P(alive | x, tₓ, T) × E[Y(t) | alive, x, tₓ, T] (the denominator of
 * eq. 10 is exactly 1/P(alive)).
 */
export function bgNbdConditionalExpected(p: BgNbdParams, c: CustomerSummary, t: number): number {
  return t <= 0 ? 0 : bgNbdPAlive(p, c) * bgNbdExpectedIfAlive(p, c, t);
}
