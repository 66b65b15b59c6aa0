/**
 * log F(y) and its derivatives with respect to (r, α, s, β), where
 *
 *   F(y) = (m+y)^−e · ₂F₁(e, K; e+1; z),   e = r+s+x,   z = |α−β|/(m+y),   m = max(α, β),
 *
 * K = s+1 when α ≥ β and K = r+x otherwise: the Pareto/NBD's A₀ = F(tₓ) − F(T) (paretoLogA0). With
 * c = a+1 the series simplifies, (e)_j/(e+1)_j = e/(e+j), so
 *
 *   ₂F₁ = e·S,   S = Σ_j u_j/(e+j),   u_j = (K)_j z^j / j!
 *
 * and the derivatives come from sums over the same terms: ∂S/∂e = −Σ u_j/(e+j)², ∂S/∂K = Σ u_j D_j/(e+j)
 * with D_j = Σ_{k<j} 1/(K+k) (the derivative of the rising factorial), ∂S/∂z = Σ j u_j/(z(e+j)). The
 * chain rule through e, K, m and z gives the four partials. Summation runs relative to a scale kept in
 * logs, and stops on the same geometric tail bound as logHyp2f1; a series that does not converge in
 * maxTerms gives NaN. Writes [log F, ∂r, ∂α, ∂s, ∂β] to out at offset o. Valid for z < 1; the caller
 * sends larger arguments to quadrature (logPowerIntegral's SERIES_LIMIT).
 */
export function paretoTailTerm(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  y: number,
  out: Float64Array,
  o: number,
  maxTerms = 200_000,
): void {
  const e = r + s + x;
  const aboveBeta = alpha >= beta;
  const m = aboveBeta ? alpha : beta;
  const K = aboveBeta ? s + 1 : r + x;
  const my = m + y;
  const z = Math.abs(alpha - beta) / my;
  let S = 0;
  let Se = 0; // Σ u_j/(e+j)²
  let SK = 0; // Σ u_j D_j/(e+j)
  let Sj = 0; // Σ j u_j/(e+j)
  let u = 1;
  let D = 0;
  let logScale = 0;
  let converged = false;
  for (let j = 0; j < maxTerms; j++) {
    const c = u / (e + j);
    S += c;
    Se += c / (e + j);
    SK += c * D;
    Sj += j * c;
    if (S > 1e200) {
      logScale += Math.log(S);
      Se /= S;
      SK /= S;
      Sj /= S;
      u /= S;
      S = 1;
    }
    const ratio = ((K + j) * z) / (j + 1);
    D += 1 / (K + j);
    u *= ratio;
    if (u === 0) {
      converged = true;
      break;
    }
    if (ratio < 1) {
      // Every later term ratio is at most ρ, so the tail from the next term on is below u/((e+j+1)(1−ρ)).
      const rho = Math.max(ratio, z);
      if (u / (1 - rho) <= 1e-16 * S * (e + j + 1)) {
        converged = true;
        break;
      }
    }
  }
  if (!converged || !(S > 0)) {
    out.fill(NaN, o, o + 5);
    return;
  }
  const logMy = Math.log(my);
  out[o] = -e * logMy + Math.log(e) + logScale + Math.log(S);
  const dE = -logMy + 1 / e - Se / S;
  const dK = SK / S;
  // ∂log S/∂z = Σ j u_j/(e+j) / (z S); at z = 0 only the j = 1 term survives: K/(e+1) / S.
  const dZ = z > 0 ? Sj / (z * S) : K / (e + 1) / S;
  const dM = -e / my;
  if (aboveBeta) {
    // m = α, K = s+1, z = (α−β)/(α+y): ∂z/∂α = (β+y)/(α+y)², ∂z/∂β = −1/(α+y).
    out[o + 1] = dE;
    out[o + 2] = dM + (dZ * (beta + y)) / (my * my);
    out[o + 3] = dE + dK;
    out[o + 4] = -dZ / my;
  } else {
    // m = β, K = r+x, z = (β−α)/(β+y).
    out[o + 1] = dE + dK;
    out[o + 2] = -dZ / my;
    out[o + 3] = dE;
    out[o + 4] = dM + (dZ * (alpha + y)) / (my * my);
  }
}
