/**
 * The smallest t > 0 with P(t) ≥ ½ for a non-decreasing probability curve P with limit P(∞), or undefined
 * when P(∞) ≤ ½ (more likely than not the event never happens). Brackets by doubling from `start`, then
 * bisects to a relative width of 1e-6; P is evaluated at most ~100 times.
 */
export function medianTime(P: (t: number) => number, start: number): number | undefined {
  if (!(P(Infinity) > 0.5)) return undefined;
  let lo = 0;
  let hi = start;
  for (let k = 0; k < 200 && P(hi) < 0.5; k++) {
    lo = hi;
    hi *= 2;
  }
  if (P(hi) < 0.5) return undefined;
  while (hi - lo > 1e-6 * hi) {
    const mid = (lo + hi) / 2;
    if (P(mid) >= 0.5) hi = mid;
    else lo = mid;
  }
  return hi;
}
