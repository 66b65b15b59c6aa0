import type { Duration, Window } from '../ast/index.js';

/**
 * The time arithmetic of the language, shared by the evaluator and the compiler (which computes window
 * edges here and binds them as parameters, so SQL and memory cannot disagree). Instants are
 * milliseconds since the epoch, UTC: the resolution of every evaluation is one millisecond.
 */

const fixedMs: Record<string, number> = { s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Length of a fixed-unit duration in ms, or undefined for calendar units (m, y). */
export function fixedLength(d: Duration): number | undefined {
  const unit = fixedMs[d.unit];
  return unit === undefined ? undefined : d.amount * unit;
}

/**
 * t + sign·d. Months and years move the calendar in UTC and keep the time of day; a day past the end
 * of the target month is clamped to its last day (Mar 31 − 1m = Feb 29 in a leap year), as SQL
 * interval arithmetic does.
 */
export function shift(t: number, d: Duration, sign: 1 | -1 = 1): number {
  const fixed = fixedLength(d);
  if (fixed !== undefined) return t + sign * fixed;
  const months = sign * d.amount * (d.unit === 'y' ? 12 : 1);
  const date = new Date(t);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(2000, targetMonth + 1, 0)).getUTCDate();
  const daysInMonth = targetMonth === 1 ? (isLeap(targetYear) ? 29 : 28) : lastDay;
  const out = new Date(t);
  out.setUTCFullYear(targetYear, targetMonth, Math.min(date.getUTCDate(), daysInMonth));
  return out.getTime();
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** The instants an event time must lie in: lower < t (or lower <= t when lowerInclusive) and t <= upper. */
export interface Bounds {
  readonly lower: number;
  readonly lowerInclusive: boolean;
  readonly upper: number;
}

/**
 * The window of a behaviour condition at clock `asOf`. No window: everything up to as_of.
 * within D: (as_of − D, as_of]; between D1 and D2 ago: (as_of − D2, as_of − D1]; since DATE: [DATE, as_of].
 */
export function windowBounds(w: Window | undefined, asOf: number): Bounds {
  if (!w) return { lower: -8.64e15, lowerInclusive: true, upper: asOf };
  switch (w.kind) {
    case 'within':
      return { lower: shift(asOf, w.duration, -1), lowerInclusive: false, upper: asOf };
    case 'ago': {
      const a = shift(asOf, w.from, -1);
      const b = shift(asOf, w.to, -1);
      return { lower: Math.min(a, b), lowerInclusive: false, upper: Math.max(a, b) };
    }
    case 'since':
      return { lower: Date.parse(w.date), lowerInclusive: true, upper: asOf };
  }
}

export function inBounds(t: number, b: Bounds): boolean {
  return (b.lowerInclusive ? t >= b.lower : t > b.lower) && t <= b.upper;
}

/**
 * The smallest instant T >= from with f(T) >= threshold, for f non-decreasing in T; undefined when
 * none exists before `limit`. Exact to the millisecond (integer binary search), which is what makes
 * changes_at exact for calendar units and fractional-day comparisons alike.
 */
export function firstReaching(f: (t: number) => number, threshold: number, from: number, limit = 8.64e15): number | undefined {
  if (f(from) >= threshold) return from;
  let lo = from; // f(lo) < threshold
  let step = 1;
  let hi = from + step;
  while (f(hi) < threshold) {
    lo = hi;
    step *= 2;
    hi = from + step;
    if (hi > limit) return f(limit) >= threshold ? searchBetween(f, threshold, lo, limit) : undefined;
  }
  return searchBetween(f, threshold, lo, hi);
}

function searchBetween(f: (t: number) => number, threshold: number, lo: number, hi: number): number {
  // invariant: f(lo) < threshold <= f(hi)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (f(mid) >= threshold) hi = mid;
    else lo = mid;
  }
  return hi;
}
