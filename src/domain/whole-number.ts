import { SegmintError } from './errors.js';

/**
 * `value` when it is a whole number from `min` to `max` (inclusive); otherwise a SegmintError
 * (`invalid_option`, 400) naming `name` (a CLI option such as `--sample`, or an API field such as
 * `limit`), what was received and the range accepted. A value out of range is refused, never cut to the
 * nearest bound: a user who asked for 5000 rows and got 100 would not know (trial 7, D8).
 */
export function wholeNumberIn(value: number, name: string, min: number, max = Number.POSITIVE_INFINITY): number {
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  throw new SegmintError('invalid_option', `${name}: "${String(value)}" is not a whole number ${rangeWords(min, max)}`, { option: name, value, min, ...(Number.isFinite(max) ? { max } : {}) });
}

/** The range in words: `from 0 to 100`, or `≥ 1` without an upper bound. */
export function rangeWords(min: number, max: number): string {
  return Number.isFinite(max) ? `from ${min} to ${max}` : `≥ ${min}`;
}
