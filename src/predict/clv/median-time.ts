/**
 * The t > 0 with P(t) = ½ for a non-decreasing, concave probability curve P(t) = pAlive·F(t) with
 * derivative pAlive·f(t), or undefined when P(∞) ≤ ½ (more likely than not the event never happens).
 *
 * Newton's method from t = 0: on a concave increasing curve every Newton step from below the root lands
 * at or below it, so the iterates rise monotonically to the root without overshooting; a handful of steps
 * reach 1e-10. A bisection safeguard takes over if rounding ever breaks monotonicity.
 */
export function medianTime(
  pAlive: number,
  F: (t: number) => number,
  f: (t: number) => number,
): number | undefined {
  const target = 0.5 / pAlive;
  if (!(pAlive > 0.5) || !(F(Infinity) > target)) return undefined;
  let t = 0;
  let value = 0;
  for (let k = 0; k < 100; k++) {
    const slope = f(t);
    const next = t + (target - value) / slope;
    if (!(next > t) || !Number.isFinite(next)) break;
    t = next;
    value = F(t);
    if (Math.abs(value - target) <= 1e-12 * target || value > target) break;
  }
  if (Math.abs(value - target) <= 1e-9 * target) return t;
  // Safeguard: bisect on a bracket.
  let lo = 0;
  let hi = Math.max(t, 1e-9);
  while (F(hi) < target) hi *= 2;
  for (let k = 0; k < 200 && hi - lo > 1e-12 * hi; k++) {
    const mid = (lo + hi) / 2;
    if (F(mid) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}
