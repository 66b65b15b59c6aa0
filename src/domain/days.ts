import { addDays, localDate, localParts, startOfLocalDay, zonedTime } from './time-zone.js';

/** Milliseconds in a day of 24 hours (a UTC day; a local day may have 23 or 25 hours). */
export const DAY_MS = 86_400_000;

/**
 * The midnight that starts the day holding `t` in the IANA zone `tz` (default UTC, where every day has
 * 24 hours). In a zone with daylight saving the local day may be 23 or 25 hours long; where a clock
 * change skips midnight itself, the day starts at the first instant after the gap (time-zone.ts).
 */
export function startOfDay(t: Date, tz = 'UTC'): Date {
  if (tz === 'UTC') return new Date(Math.floor(t.getTime() / DAY_MS) * DAY_MS);
  return startOfLocalDay(localDate(t, tz), tz);
}

/** The midnight in `tz` (default UTC) that ends the day holding `t`: the start of the next local day. */
export function midnightAfter(t: Date, tz = 'UTC'): Date {
  if (tz === 'UTC') return new Date(startOfDay(t).getTime() + DAY_MS);
  return startOfLocalDay(addDays(localDate(t, tz), 1), tz);
}

/**
 * The instant `days` calendar days after `t` (negative: before) at the same wall-clock time in `tz`:
 * across a daylight-saving change that is 23 or 25 hours a day, so a local midnight stays a local
 * midnight. In UTC it is exactly `t + days × 24 h`. Seconds and milliseconds are kept as they are.
 */
export function shiftDays(t: Date, days: number, tz = 'UTC'): Date {
  if (tz === 'UTC') return new Date(t.getTime() + days * DAY_MS);
  const p = localParts(t, tz);
  const subMinute = t.getTime() - Math.floor(t.getTime() / 60_000) * 60_000;
  return new Date(zonedTime(p.year, p.month, p.day + days, p.hour, p.minute, tz).getTime() + subMinute);
}
