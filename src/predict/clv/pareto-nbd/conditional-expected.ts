import type { CustomerSummary } from '../summary.js';
import { paretoNbdExpectedIfAlive } from './expected-if-alive.js';
import type { ParetoNbdParams } from './log-likelihood.js';
import { paretoNbdPAlive } from './p-alive.js';

/**
 * Expected purchases in the next t time units of a customer with history (x, tₓ, T) under Pareto/NBD
 * (Schmittlein et al. 1987; BTYD's pnbd.ConditionalExpectedTransactions):
 *   E[Y(t) | x, tₓ, T] = P(alive) · (r+x)(β+T)/(α+T) · [1 − ((β+T)/(β+T+t))^(s−1)]/(s−1).
 */
export function paretoNbdConditionalExpected(p: ParetoNbdParams, c: CustomerSummary, t: number): number {
  return t <= 0 ? 0 : paretoNbdPAlive(p, c) * paretoNbdExpectedIfAlive(p, c, t);
}
