import type { CustomerSummary } from '../summary.js';
import { paretoLogA0 } from './log-a0.js';
import type { ParetoNbdParams } from './log-likelihood.js';

/**
 * P(alive | x, tₓ, T) under Pareto/NBD: the share of the likelihood carried by the "alive at T" branch,
 *   1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)ˢ · A₀),
 * formed in logs (a logistic of the branch log-ratio).
 */
export function paretoNbdPAlive(p: ParetoNbdParams, c: CustomerSummary): number {
  const { r, alpha, s, beta } = p;
  const { x, tx, T } = c;
  const logRatio =
    Math.log(s) - Math.log(r + s + x) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) +
    paretoLogA0(r, alpha, s, beta, x, tx, T);
  return 1 / (1 + Math.exp(logRatio));
}
