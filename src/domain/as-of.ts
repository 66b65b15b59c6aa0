import { SegmintError } from './errors.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Reads an `as of` time: a date (`2011-12-10`, midnight UTC, the start of that day) or a datetime
 * (`2011-12-10T15:00`, `2011-12-10 15:00:00Z`, with an optional offset; UTC when none is written).
 * Missing means now. `field` names the flag or JSON field in the error.
 */
export function parseAsOf(raw: string | undefined, field = '--as-of', now: () => Date = () => new Date()): Date {
  if (raw === undefined || raw.trim() === '') return now();
  const s = raw.trim();
  let iso: string | undefined;
  if (DATE.test(s)) iso = `${s}T00:00:00Z`;
  else {
    const m = DATETIME.exec(s);
    if (m) iso = `${m[1]}T${m[2]}${m[3] ?? 'Z'}`;
  }
  const d = iso === undefined ? new Date(NaN) : new Date(iso);
  // Date accepts 2011-02-31 by rolling over; compare the date part back to refuse it.
  if (Number.isNaN(d.getTime()) || (iso !== undefined && !sameCalendarDay(iso, d))) {
    throw new SegmintError(
      'invalid_as_of',
      `${field}: "${raw}" is not a date or datetime; write e.g. 2011-12-10 or 2011-12-10T15:00:00Z`,
      { field, value: raw },
    );
  }
  return d;
}

function sameCalendarDay(iso: string, d: Date): boolean {
  if (!iso.endsWith('Z')) return true;
  return d.toISOString().slice(0, 10) === iso.slice(0, 10);
}

/**
 * How far after now a time a user states has happened (`decided_at`, `--exported-at`) may lie, for the
 * difference between the sender's clock and ours: 5 minutes (docs/api.md, Times in the future).
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Reads a time at which something has already happened (a consent decision, an export), as parseAsOf
 * does; missing means now. A time more than CLOCK_SKEW_MS after now is refused (`time_in_future`, a 400
 * naming `field`): nothing can have happened after it is reported, and a decision dated in the future
 * would outrank every later one. A time within the tolerance is taken as now, so the time stored is
 * never after the moment it was received.
 */
export function parsePastTime(raw: string | undefined, field: string, now: () => Date = () => new Date()): Date {
  const at = now();
  const t = parseAsOf(raw, field, () => at);
  if (t.getTime() > at.getTime() + CLOCK_SKEW_MS) {
    throw new SegmintError(
      'time_in_future',
      `${field}: "${raw}" is after now (${at.toISOString()}); it says when something already happened, so it cannot lie in the future (up to ${CLOCK_SKEW_MS / 60_000} minutes of clock difference is allowed)`,
      { field, value: raw, now: at.toISOString() },
    );
  }
  return t.getTime() > at.getTime() ? at : t;
}
