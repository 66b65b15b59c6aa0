import { gaussLegendre } from './gauss-legendre.js';

const RULE = gaussLegendre(16);

/**
 * log ∫_{y0}^{y1} (α+y)^−A (β+y)^−B dy by quadrature: the route logPowerIntegral takes where the ₂F₁
 * series would need too many terms (one base much smaller than the other, argument near 1).
 *
 * With m the smaller base (exponent Bm), M the larger (exponent AM) and u = ln(m+y) the integral becomes
 * ∫ g(u) du, log g(u) = −AM·ln(M − m + eᵘ) + (1 − Bm)·u, which is concave in u: g is unimodal with
 * exponential tails. It is integrated by 16-point Gauss–Legendre on panels short enough that log g changes
 * by at most ~1 across each, in logs throughout, and the infinite tail is cut where g has fallen by e⁻⁴⁰.
 *
 * With `gradient` (length 4) it also writes the derivatives of the log integral with respect to
 * (A, B, α, β), from the same nodes: −∫ln(α+y)g/∫g, −∫ln(β+y)g/∫g, −A∫g/(α+y)/∫g and −B∫g/(β+y)/∫g
 * (the Pareto/NBD fit's gradient where the ₂F₁ series is not used).
 */
export function logPowerIntegralQuadrature(
  alpha: number,
  A: number,
  beta: number,
  B: number,
  y0: number,
  y1: number,
  gradient?: Float64Array,
): number {
  const [m, Bm, M, AM] = alpha <= beta ? [alpha, A, beta, B] : [beta, B, alpha, A];
  const D = M - m;
  const logD = Math.log(D);
  const logG = (u: number) => -AM * logAddExp(logD, u) + (1 - Bm) * u;
  const slope = (u: number) => -AM / (1 + D * Math.exp(-u)) + (1 - Bm);
  const u0 = Math.log(m + y0);
  let u1 = y1 === Infinity ? Infinity : Math.log(m + y1);
  gradient?.fill(0);
  if (!(u1 > u0)) return -Infinity;
  // The mode of the concave log g, clamped to the range.
  let mode = u0;
  if (1 - Bm > 0 && D > 0) mode = Math.max(u0, Math.log((D * (1 - Bm)) / (AM - 1 + Bm)));
  if (mode > u1) mode = u1;
  const peak = logG(mode);
  if (u1 === Infinity) {
    // Step out until g is negligible; the slope there is at most 1 − AM − Bm < 0, so this ends.
    let u = mode + 1;
    while (logG(u) > peak - 40) u += Math.max(1, (u - mode));
    u1 = u;
  }
  let total = 0;
  // ∫ g·ln(m+y), ∫ g·ln(M+y), ∫ g/(m+y), ∫ g/(M+y), relative to the peak like total; ln(m+y) = u.
  let lnSmall = 0;
  let lnLarge = 0;
  let invSmall = 0;
  let invLarge = 0;
  let u = u0;
  while (u < u1) {
    const width = Math.min(u1 - u, 1 / Math.max(1, Math.abs(slope(u)), Math.abs(slope(Math.min(u1, u + 1)))));
    const half = width / 2;
    const mid = u + half;
    for (let k = 0; k < RULE.nodes.length; k++) {
      const v = mid + half * (RULE.nodes[k] as number);
      const lnM = logAddExp(logD, v);
      const w = (RULE.weights[k] as number) * half * Math.exp(-AM * lnM + (1 - Bm) * v - peak);
      total += w;
      if (gradient) {
        lnSmall += w * v;
        lnLarge += w * lnM;
        invSmall += w * Math.exp(-v);
        invLarge += w * Math.exp(-lnM);
      }
    }
    u += width;
  }
  if (gradient) {
    // Back from (smaller, larger) base to (α, β).
    const [lnAlpha, lnBeta, invAlpha, invBeta] = alpha <= beta ? [lnSmall, lnLarge, invSmall, invLarge] : [lnLarge, lnSmall, invLarge, invSmall];
    gradient[0] = -lnAlpha / total;
    gradient[1] = -lnBeta / total;
    gradient[2] = (-A * invAlpha) / total;
    gradient[3] = (-B * invBeta) / total;
  }
  return peak + Math.log(total);
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}
