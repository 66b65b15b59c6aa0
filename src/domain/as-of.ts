import { SegmintError } from './errors.js';
import { readInstant } from './timestamp.js';

/**
 * Reads an `as of` time under the one rule for timestamps (domain/timestamp.ts, docs/api.md
 * "Timestamps"), so the CLI's flags and the API's fields accept the same text: a date (`2011-12-10`,
 * midnight UTC, the start of that day), a datetime (`2011-12-10T15:00`, `2011-12-10 15:00:00Z`, with an
 * optional offset; UTC when none is written), `24:00` as the midnight that ends a day, years 0001 to 9999.
 * Missing means now. `field` names the flag or JSON field in the error (`invalid_as_of`).
 */
export function parseAsOf(raw: string | undefined, field = '--as-of', now: () => Date = () => new Date()): Date {
  if (raw === undefined || raw.trim() === '') return now();
  const r = readInstant(raw.trim());
  if (r.ok) return new Date(r.ms);
  throw new SegmintError(
    'invalid_as_of',
    r.problem === 'not_iso' ? `${field}: "${raw}" is not a date or datetime; write e.g. 2011-12-10 or 2011-12-10T15:00:00Z` : `${field}: ${r.reason}`,
    { field, value: raw },
  );
}
