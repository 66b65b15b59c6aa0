import { logPowerIntegral } from '../power-integral.js';
import type { CustomerSummary } from '../summary.js';
import type { ParetoNbdParams } from './log-likelihood.js';
import { paretoNbdPAlive } from './p-alive.js';

/**
 * P(at least one purchase in (T, T+t] | alive at T, x, tₓ, T) under Pareto/NBD. Alive at T, the posterior
 * is λ ~ Gamma(r', α') and μ ~ Gamma(s, β') independently (r' = r+x, α' = α+T, β' = β+T); the first
 * purchase at w needs the Poisson clock to ring at w and the customer to outlive w:
 *
 *   ∫₀ᵗ E[λe^(−λw)] E[e^(−μw)] dw = r'α'^r' β'^s ∫₀ᵗ (α'+w)^−(r'+1) (β'+w)^−s dw
 *
 * (the integral has the A₀ shape: logPowerIntegral). t = Infinity is allowed. Its derivative in t is the
 * integrand, paretoNbdPurchaseDensityIfAlive.
 */
export function paretoNbdPurchaseProbabilityIfAlive(p: ParetoNbdParams, c: CustomerSummary, t: number): number {
  if (t <= 0) return 0;
  const r1 = p.r + c.x;
  const a1 = p.alpha + c.T;
  const b1 = p.beta + c.T;
  const logP = Math.log(r1) + r1 * Math.log(a1) + p.s * Math.log(b1) + logPowerIntegral(a1, r1 + 1, b1, p.s, 0, t);
  return Math.min(1, Math.exp(logP));
}

/** d/dt of paretoNbdPurchaseProbabilityIfAlive: r'α'^r' β'^s (α'+t)^−(r'+1) (β'+t)^−s. */
export function paretoNbdPurchaseDensityIfAlive(p: ParetoNbdParams, c: CustomerSummary, t: number): number {
  const r1 = p.r + c.x;
  const a1 = p.alpha + c.T;
  const b1 = p.beta + c.T;
  return Math.exp(Math.log(r1) + r1 * Math.log(a1 / (a1 + t)) - Math.log(a1 + t) + p.s * Math.log(b1 / (b1 + t)));
}

/** The same, unconditionally: P(alive) times the above. */
export function paretoNbdPurchaseProbability(p: ParetoNbdParams, c: CustomerSummary, t: number): number {
  return t <= 0 ? 0 : paretoNbdPAlive(p, c) * paretoNbdPurchaseProbabilityIfAlive(p, c, t);
}
