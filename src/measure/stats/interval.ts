/** An estimate with its two-sided 95% interval; null where the data cannot define it (e.g. a zero control mean). */
export interface Interval {
  readonly estimate: number | null;
  readonly ci95: readonly [number | null, number | null];
}

export const UNDEFINED_INTERVAL: Interval = { estimate: null, ci95: [null, null] };

/** estimate ± halfWidth, or the undefined interval when either is not a finite number. */
export function symmetricInterval(estimate: number, halfWidth: number): Interval {
  if (!Number.isFinite(estimate) || !Number.isFinite(halfWidth)) return UNDEFINED_INTERVAL;
  return { estimate, ci95: [estimate - halfWidth, estimate + halfWidth] };
}

/** The 95% level every interval of this module uses: α = 0.05, two-sided. */
export const ALPHA = 0.05;

/**
 * The interval cut to the values the quantity can take, [lo, hi]: a difference of two shares lies in
 * [−1, 1], so a 95% interval reaching past it (small groups, or the wider always-valid sequence) says
 * nothing more there, and the cut one covers the truth whenever the uncut one does. Ends that are null stay null.
 */
export function withinRange(interval: Interval, lo: number, hi: number): Interval {
  const [a, b] = interval.ci95;
  return { estimate: interval.estimate, ci95: [a === null ? null : Math.max(lo, a), b === null ? null : Math.min(hi, b)] };
}
