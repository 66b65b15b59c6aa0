import { parseReportMoment } from '../../analytics/asOf.js';
import { SegmintError } from '../../domain/errors.js';
import { addDays, daysFrom, localDate, startOfLocalDay } from '../../domain/time-zone.js';

/**
 * KPI days are calendar days of the workspace time zone (DESIGN.md: "the workspace time zone decides day
 * boundaries in reports"), written as ISO dates (`2024-03-01`). A day runs from its local midnight to the
 * next one: 24 hours in UTC, 23 or 25 on the days a daylight-saving clock changes. Nothing here reads the
 * process's own zone.
 */

/** The instants a local day `day` (YYYY-MM-DD) of `tz` runs over: [start, end). */
export function dayBounds(day: string, tz: string): { start: Date; end: Date } {
  return { start: startOfLocalDay(day, tz), end: startOfLocalDay(addDays(day, 1), tz) };
}

/** At most this many days are computed in one request: ten years. */
export const MAX_KPI_DAYS = 3660;

/** The local day of `tz` before the one holding `now`: the last whole day. */
export function yesterdayIn(tz: string, now: Date): string {
  return addDays(localDate(now, tz), -1);
}

/**
 * The days a KPI request covers, as ISO dates of the workspace zone `tz`: `to` defaults to yesterday
 * there (the last whole day), `from` to 29 days before `to`. A date is that day; a datetime is the local
 * day holding it (read as parseReportMoment does, errors naming the flag). A range ending after
 * yesterday, starting after its end or longer than ten years is refused (`invalid_range`, naming the flag).
 */
export function kpiRange(from: string | undefined, to: string | undefined, tz = 'UTC', now = new Date(), fallbackDays = 30): { from: string; to: string } {
  const yesterday = yesterdayIn(tz, now);
  const day = (raw: string, field: string) => localDate(parseReportMoment(raw, tz, field), tz);
  const end = to === undefined ? yesterday : day(to, '--to');
  const start = from === undefined ? addDays(end, -(fallbackDays - 1)) : day(from, '--from');
  if (end > yesterday) {
    throw new SegmintError('invalid_range', `--to ${end}: KPIs exist for whole days only; the last is yesterday, ${yesterday} (${tz}).`, { field: '--to' });
  }
  if (start > end) throw new SegmintError('invalid_range', `--from ${start} is after --to ${end}.`, { field: '--from' });
  if (daysFrom(start, end) + 1 > MAX_KPI_DAYS) {
    throw new SegmintError('invalid_range', `--from ${start} to --to ${end} is more than ${MAX_KPI_DAYS} days.`, { field: '--from' });
  }
  return { from: start, to: end };
}
