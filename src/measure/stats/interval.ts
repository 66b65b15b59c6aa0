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
