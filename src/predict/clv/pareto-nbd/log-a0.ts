import { logPowerIntegral } from '../power-integral.js';

/**
 * log A₀ of the Pareto/NBD likelihood (Fader & Hardie, "A Note on Deriving the Pareto/NBD Model and
 * Related Expressions", 2005; the form BTYD's pnbd.LL uses):
 *
 *   A₀ = (r+s+x) ∫_{tₓ}^{T} (α+y)^−(r+x) (β+y)^−(s+1) dy
 *      = ₂F₁(r+s+x, k; r+s+x+1; |α−β|/(m+tₓ)) / (m+tₓ)^(r+s+x)
 *      − ₂F₁(r+s+x, k; r+s+x+1; |α−β|/(m+T)) / (m+T)^(r+s+x)
 *
 * with m = max(α, β) and k = s+1 when α ≥ β, k = r+x otherwise (logPowerIntegral). tₓ = T gives A₀ = 0
 * (log −∞): the customer cannot have left between the last purchase and the end of calibration.
 */
export function paretoLogA0(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): number {
  return Math.log(r + s + x) + logPowerIntegral(alpha, r + x, beta, s + 1, tx, T);
}
