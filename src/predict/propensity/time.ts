import { reportTimeZone } from '../../analytics/asOf.js';
import { SegmintError } from '../../domain/errors.js';
import { DAY_MS } from '../../domain/days.js';
import { addDays as addDates, startOfLocalDay } from '../../domain/time-zone.js';
import { readInstant } from '../../domain/timestamp.js';
import type { Queryable } from '../../store/db.js';

export { DAY_MS };

const DATE_ALONE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a --cutoff / --as-of / --split value: a date (YYYY-MM-DD, taken as the end of that day in the
 * zone `tz`, the workspace time zone: its last millisecond before the next local midnight) or a datetime
 * under the one rule for timestamps (domain/timestamp.ts: UTC when no offset is written, never the
 * process's zone). The end of the day, because "cutoff 2011-11-09" should include that day's orders.
 * Anything else is `invalid_date`, naming the option.
 */
export function parseCutoff(value: string, option: string, tz = 'UTC'): Date {
  const v = value.trim();
  const r = readInstant(v);
  if (!r.ok) {
    // A form segmint refuses on purpose (an expanded year, 30 February) is named with its reason.
    const why = r.problem === 'not_iso' ? `, got "${value}"` : `: ${r.reason}`;
    throw new SegmintError('invalid_date', `--${option} must be a date like 2011-11-09 or an ISO time${why}`, {
      option,
      value,
    });
  }
  return DATE_ALONE.test(v) ? new Date(startOfLocalDay(addDates(v, 1), tz).getTime() - 1) : new Date(r.ms);
}

/**
 * parseCutoff in the workspace time zone of `db` (reportTimeZone): what the commands and routes that
 * take a cutoff, split or as-of date call; undefined when no value is given.
 */
export async function readCutoff(db: Queryable, value: string | undefined, option: string): Promise<Date | undefined> {
  return value === undefined ? undefined : parseCutoff(value, option, await reportTimeZone(db));
}
