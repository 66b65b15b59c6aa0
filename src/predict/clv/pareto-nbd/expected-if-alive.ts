import type { CustomerSummary } from '../summary.js';
import { decayIntegral } from './expected.js';
import type { ParetoNbdParams } from './log-likelihood.js';

/**
 * Expected purchases in the next t time units of a customer alive at T with history (x, tₓ, T), under
 * Pareto/NBD: with λ ~ Gamma(r+x, α+T) and μ ~ Gamma(s, β+T) a posteriori,
 *   E[λ] · E[∫₀ᵗ e^(−μu) du] = (r+x)/(α+T) · (β+T)·[1 − ((β+T)/(β+T+t))^(s−1)]/(s−1).
 */
export function paretoNbdExpectedIfAlive(p: ParetoNbdParams, c: CustomerSummary, t: number): number {
  if (t <= 0) return 0;
  return (((p.r + c.x) * (p.beta + c.T)) / (p.alpha + c.T)) * decayIntegral(p.s, p.beta + c.T, t);
}
