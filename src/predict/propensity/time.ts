import { SegmintError } from '../../domain/errors.js';

import { DAY_MS } from '../../domain/days.js';

export { DAY_MS };

export function addDays(t: Date, days: number): Date {
  return new Date(t.getTime() + days * DAY_MS);
}

/**
 * Reads a --cutoff / --as-of / --split value: a date (YYYY-MM-DD, taken as the end of that UTC day) or
 * a full ISO time. The end of the day, because "cutoff 2011-11-09" should include that day's orders.
 */
export function parseCutoff(value: string, option: string): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const t = new Date(dateOnly ? `${value}T23:59:59.999Z` : value);
  if (Number.isNaN(t.getTime())) {
    throw new SegmintError('invalid_date', `--${option} must be a date like 2011-11-09 or an ISO time, got "${value}"`, {
      option,
      value,
    });
  }
  return t;
}

export function isoDay(t: Date): string {
  return t.toISOString().slice(0, 10);
}
