import type { CohortUnit } from '../../store/queries/analytics/cohorts.js';

/**
 * Whole periods from one period start to another (both YYYY-MM-DD, already truncated to the unit):
 * calendar months for `month`, 7-day steps for `week`.
 */
export function periodIndex(from: string, to: string, unit: CohortUnit): number {
  const [y1, m1] = from.split('-').map(Number) as [number, number];
  const [y2, m2] = to.split('-').map(Number) as [number, number];
  if (unit === 'month') return (y2 - y1) * 12 + (m2 - m1);
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / (7 * 86_400_000));
}

/** The start of the period after `start`. */
export function nextPeriod(start: string, unit: CohortUnit): string {
  const d = new Date(start + 'T00:00:00Z');
  if (unit === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCDate(d.getUTCDate() + 7);
  return d.toISOString().slice(0, 10);
}
