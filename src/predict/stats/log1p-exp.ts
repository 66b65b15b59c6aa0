/**
 * ln(1 + e^z) without overflow or loss of precision: for large z it is z + ln(1 + e^(−z)). This is the
 * per-customer term of the logistic log-likelihood, −ℓ = Σ ln(1 + e^η) − y·η.
 */
export function log1pExp(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}
