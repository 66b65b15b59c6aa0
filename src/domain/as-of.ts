import { SegmintError } from './errors.js';
import { readInstant } from './timestamp.js';

/**
 * Reads an `as of` time under the one rule for timestamps (domain/timestamp.ts, docs/api.md
 * "Timestamps"), so the CLI's flags and the API's fields accept the same text: a date (`2011-12-10`,
 * midnight UTC, the start of that day), a datetime (`2011-12-10T15:00`, `2011-12-10 15:00:00Z`, with an
 * optional offset; UTC when none is written), `24:00` as the midnight that ends a day, years 0001 to 9999.
 * Missing means now; given empty is refused. `field` names the flag or JSON field in the error (`invalid_as_of`).
 */
export function parseAsOf(raw: string | undefined, field = '--as-of', now: () => Date = () => new Date()): Date {
  if (raw === undefined) return now();
  // Given but empty (`?asOf=`, an unset shell variable) is refused, not taken as now (trial 8, D4).
  if (raw.trim() === '') throw new SegmintError('invalid_as_of', `${field}: "" is empty; leave it out for the default, or give a date or datetime such as 2011-12-10`, { field, value: raw });
  const r = readInstant(raw.trim());
  if (r.ok) return new Date(r.ms);
  throw new SegmintError(
    'invalid_as_of',
    r.problem === 'not_iso' ? `${field}: "${raw}" is not a date or datetime; write e.g. 2011-12-10 or 2011-12-10T15:00:00Z` : `${field}: ${r.reason}`,
    { field, value: raw },
  );
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
