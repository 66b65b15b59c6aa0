import { logHyp2f1 } from './hyp2f1.js';
import { logPowerIntegralQuadrature } from './power-integral-quadrature.js';

/** Above this series argument the series needs thousands of terms per call; quadrature takes over. */
export const SERIES_LIMIT = 0.95;

/**
 * log ∫_{y0}^{y1} (α+y)^−A (β+y)^−B dy  for α, β > 0, A, B > 0, A+B > 1, 0 ≤ y0 ≤ y1 ≤ ∞.
 *
 * Both the Pareto/NBD likelihood (A₀) and its next-purchase probability are integrals of this shape. With
 * m = max(α, β), writing the smaller base as (m+y)(1 − |α−β|/(m+y)) and substituting u = 1/(m+y) gives
 *
 *   ∫ = [F(y0) − F(y1)] / (A+B−1),   F(y) = (m+y)^−(A+B−1) ₂F₁(A+B−1, K; A+B; |α−β|/(m+y))
 *
 * where K is the exponent of the smaller base (B when α ≥ β, A otherwise), so the argument stays in
 * [0, 1). F(∞) = 0. The difference is taken in logs (expm1), so y0 close to y1 stays accurate relative to
 * the difference. When the larger argument |α−β|/(m+y0) exceeds SERIES_LIMIT (one base hundreds of times
 * the other, which the optimiser probes on its way) the integral is computed by quadrature instead.
 */
export function logPowerIntegral(alpha: number, A: number, beta: number, B: number, y0: number, y1: number): number {
  const m = Math.max(alpha, beta);
  const gap = Math.abs(alpha - beta);
  const K = alpha >= beta ? B : A;
  const e = A + B - 1;
  if (gap / (m + y0) > SERIES_LIMIT) return logPowerIntegralQuadrature(alpha, A, beta, B, y0, y1);
  const logF = (y: number) => logHyp2f1(e, K, e + 1, gap / (m + y)) - e * Math.log(m + y);
  const l0 = logF(y0) - Math.log(e);
  if (y1 === Infinity) return l0;
  const l1 = logF(y1) - Math.log(e);
  if (Number.isNaN(l0) || Number.isNaN(l1)) return NaN;
  if (!(l1 < l0)) return -Infinity;
  return l0 + Math.log(-Math.expm1(l1 - l0));
}
