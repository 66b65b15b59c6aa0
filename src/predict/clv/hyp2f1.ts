/**
 * log of the Gauss hypergeometric function ₂F₁(a, b; c; z) for |z| < 1, by its power series
 *
 *   ₂F₁(a, b; c; z) = Σ_j (a)_j (b)_j / (c)_j · z^j / j!
 *
 * the way the Fader–Hardie note on the Pareto/NBD and the BTYD package evaluate it, made robust in
 * three ways:
 * - terms are accumulated relative to a running scale kept in logs, so ₂F₁ values far beyond the double
 *   range (large a, b with z near 1: heavy buyers in the Pareto/NBD) do not overflow;
 * - the sum stops only once the terms are decreasing and a geometric bound on the whole remaining tail,
 *   term·ρ/(1−ρ) with ρ ≥ |z| the current term ratio, is below 1e-16 of the sum; stopping at the first
 *   small term, as a plain loop does, cuts the tail short when z is close to 1;
 * - an iteration cap turns a non-converging call into NaN, which the optimiser treats as an
 *   impossible point, instead of looping forever.
 * Returns NaN when the sum is not positive (its log is undefined) or c is a non-positive integer.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number, maxTerms = 200_000): number {
  if (!(Math.abs(z) < 1)) return NaN;
  if (c <= 0 && Number.isInteger(c)) return NaN;
  if (z === 0) return 0;
  let logScale = 0;
  let sum = 1;
  let term = 1;
  // ratio = t_{j+1}/t_j; each pass computes the next one once, for both the step and the stopping test.
  let ratio = ((a * b) / c) * z;
  for (let j = 0; j < maxTerms; j++) {
    term *= ratio;
    if (term === 0) return sum > 0 ? logScale + Math.log(sum) : NaN;
    sum += term;
    const magnitude = Math.abs(sum);
    if (magnitude > 1e200) {
      logScale += Math.log(magnitude);
      sum /= magnitude;
      term /= magnitude;
    }
    ratio = (((a + j + 1) * (b + j + 1)) / ((c + j + 1) * (j + 2))) * z;
    const next = Math.abs(ratio);
    if (next < 1) {
      const rho = Math.max(next, Math.abs(z));
      if ((Math.abs(term) * rho) / (1 - rho) <= 1e-16 * Math.abs(sum)) {
        return sum > 0 ? logScale + Math.log(sum) : NaN;
      }
    }
  }
  return NaN;
}
