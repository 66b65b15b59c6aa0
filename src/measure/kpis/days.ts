import { parseAsOf } from '../../domain/as-of.js';
import { SegmintError } from '../../domain/errors.js';

import { DAY_MS, startOfDay } from '../../domain/days.js';

export { DAY_MS };

/** Midnight UTC at the start of the day holding `d`. KPI days are UTC days: the same on every machine. */
export function startOfUtcDay(d: Date): Date {
  return startOfDay(d);
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

/** "2024-03-01" */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** At most this many days are computed in one request: ten years. */
export const MAX_KPI_DAYS = 3660;

/**
 * The days a KPI request covers, as UTC midnights: `to` defaults to yesterday (the last whole day),
 * `from` to 29 days before `to`. Dates are read like --as-of; a range ending after yesterday, starting
 * after its end or longer than ten years is refused, naming the flag.
 */
export function kpiRange(from: string | undefined, to: string | undefined, now = new Date(), fallbackDays = 30): { from: Date; to: Date } {
  const yesterday = addDays(startOfUtcDay(now), -1);
  const end = to === undefined ? yesterday : startOfUtcDay(parseAsOf(to, '--to'));
  const start = from === undefined ? addDays(end, -(fallbackDays - 1)) : startOfUtcDay(parseAsOf(from, '--from'));
  if (end > yesterday) {
    throw new SegmintError('invalid_range', `--to ${isoDay(end)}: KPIs exist for whole days only; the last is yesterday, ${isoDay(yesterday)}.`, { field: '--to' });
  }
  if (start > end) throw new SegmintError('invalid_range', `--from ${isoDay(start)} is after --to ${isoDay(end)}.`, { field: '--from' });
  if ((end.getTime() - start.getTime()) / DAY_MS + 1 > MAX_KPI_DAYS) {
    throw new SegmintError('invalid_range', `--from ${isoDay(start)} to --to ${isoDay(end)} is more than ${MAX_KPI_DAYS} days.`, { field: '--from' });
  }
  return { from: start, to: end };
}
