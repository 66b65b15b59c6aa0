/** log(eᵃ + eᵇ) without overflow or underflow: the larger term is factored out first. */
export function logSumExp(a: number, b: number): number {
  const hi = Math.max(a, b);
  if (hi === -Infinity) return -Infinity;
  return hi + Math.log(Math.exp(a - hi) + Math.exp(b - hi));
}
