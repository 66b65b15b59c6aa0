/**
 * The relative change `current / base − 1` (0.25 is +25%), or null when there is no meaningful ratio:
 * a base of 0 or below, or a value that is not finite. Against a negative base the ratio has the wrong
 * sign: a period before of −7.00 and one of +40.00 would read −671.4%, a fall, for a rise of 47.00
 * (trial 12, L5). Callers show "-" (or the plain difference) for null, never a percentage.
 */
export function relativeChange(current: number, base: number): number | null {
  if (!(base > 0) || !Number.isFinite(current) || !Number.isFinite(base)) return null;
  return current / base - 1;
}
