import { settingValue } from '../config/settings.js';
import { parseAsOf } from '../domain/as-of.js';
import { canonicalTimeZone, localDate, startOfLocalDay } from '../domain/time-zone.js';
import { SegmintError } from '../domain/errors.js';
import type { Queryable } from '../store/db.js';
import { defaultAsOf, ordersFrom } from '../store/queries/analytics/rfm.js';

/**
 * The time zone whose days bound the periods of reports: the `workspace.timezone` setting (an IANA
 * name, checked when set), `UTC` when unset. Never the process's own zone (DESIGN.md: "times are stored
 * in UTC; the workspace time zone decides day boundaries in reports").
 */
export async function reportTimeZone(db: Queryable): Promise<string> {
  // canonical again on reading: a database whose setting was stored before it was canonicalised ("utc")
  return canonicalTimeZone((await settingValue(db, 'workspace.timezone')) ?? 'UTC');
}

const DATE_ALONE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Reads a moment a user gives a report (`--as-of`, `asOf`), as parseAsOf does, except that a calendar
 * date alone (`2011-12-10`) is midnight at the start of that day in the zone `tz`, not in UTC: the day
 * the shop means. A datetime keeps its own offset (UTC when none is written). Errors as parseAsOf
 * (`invalid_as_of`, naming `field`); missing means now.
 */
export function parseReportMoment(raw: string | undefined, tz: string, field = '--as-of', now: () => Date = () => new Date()): Date {
  const t = parseAsOf(raw, field, now);
  if (raw === undefined || tz === 'UTC' || !DATE_ALONE.test(raw.trim())) return t;
  return startOfLocalDay(raw.trim(), tz);
}

/**
 * A report's optional moment (`overview --as-of`, `asOf`) read in the workspace zone as
 * parseReportMoment does; undefined when none is given (the report then takes its default).
 */
export async function readReportMoment(db: Queryable, text: string | undefined, field = '--as-of'): Promise<Date | undefined> {
  return text === undefined ? undefined : parseReportMoment(text, await reportTimeZone(db), field);
}

/**
 * A moment a user gives a command that evaluates at a time (`segments preview|refresh|explain --as-of`,
 * `experiments create --at`, the API's `asOf`/`at`), read as parseReportMoment does in the workspace zone:
 * a date alone is midnight at the start of that day there, a datetime keeps its offset; missing means
 * `now()`. Errors as parseAsOf (`invalid_as_of`, naming `field`).
 */
export async function readMoment(db: Queryable, text: string | undefined, field = '--as-of', now: () => Date = () => new Date()): Promise<Date> {
  return parseReportMoment(text, await reportTimeZone(db), field, now);
}

/**
 * The as_of of an analysis: the one given (a date alone is midnight in the workspace zone), else
 * midnight in the workspace zone after the local day of the last order, but not after midnight after
 * today there (defaultAsOf): orders dated in the future do not move it.
 */
export async function resolveAsOf(db: Queryable, text: string | undefined, option = '--as-of'): Promise<Date> {
  const tz = await reportTimeZone(db);
  if (text !== undefined) return parseReportMoment(text, tz, option);
  const t = await defaultAsOf(db, new Date(), tz);
  if (!t) {
    throw new SegmintError('no_orders', 'There are no orders of identified customers yet: import orders first (segmint import FILE).', {});
  }
  return t;
}

/**
 * How reports print an as_of: the calendar date (`2011-12-10`) when it is a midnight in `tz` (default
 * UTC), else the full ISO time in UTC (`2011-12-10T15:00:00Z`). parseReportMoment in the same zone
 * reads either back to the same instant.
 */
export function formatMoment(t: Date, tz = 'UTC'): string {
  const iso = t.toISOString();
  if (tz === 'UTC') return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  const date = localDate(t, tz);
  if (startOfLocalDay(date, tz).getTime() === t.getTime()) return date;
  return iso.replace('.000Z', 'Z');
}

/**
 * The warning a command prints when its default as_of left orders out because they are dated at or
 * after it (in the future: defaultAsOf stops at midnight after today); undefined when none are.
 */
export async function ordersAfterWarning(db: Queryable, asOf: Date): Promise<string | undefined> {
  const n = await ordersFrom(db, asOf);
  if (n === 0) return undefined;
  const tz = await reportTimeZone(db);
  return (
    `warning: ${n} order${n === 1 ? ' is' : 's are'} dated ${formatMoment(asOf, tz)} or later, in the future; ` +
    `the default as-of stops at midnight after today, so ${n === 1 ? 'it is' : 'they are'} left out (see segmint quality, future_events).`
  );
}
