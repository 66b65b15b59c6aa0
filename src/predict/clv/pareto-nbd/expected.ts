import type { ParetoNbdParams } from './log-likelihood.js';

/**
 * Expected purchases of a new customer in (0, t] under Pareto/NBD:
 *   E[X(t)] = rβ/α · [1 − (β/(β+t))^(s−1)] / (s−1),
 * with the bracket over (s−1) formed by expm1 so s = 1 (limit ln((β+t)/β)) is exact, not 0/0.
 */
export function paretoNbdExpected(p: ParetoNbdParams, t: number): number {
  if (t <= 0) return 0;
  return ((p.r * p.beta) / p.alpha) * decayIntegral(p.s, p.beta, t);
}

/** ∫₀ᵗ (β/(β+u))ˢ du / β  =  [1 − (β/(β+t))^(s−1)]/(s−1), stable through s = 1. */
export function decayIntegral(s: number, beta: number, t: number): number {
  const logQ = Math.log(beta / (beta + t));
  const k = s - 1;
  return k === 0 ? -logQ : -Math.expm1(k * logQ) / k;
}
