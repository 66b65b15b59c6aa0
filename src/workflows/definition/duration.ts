import { durationUnits, type Duration, type DurationUnit } from '../../segments/ast/values.js';
import { shift } from '../../segments/evaluator/time.js';

const LONG: Readonly<Record<string, DurationUnit>> = {
  second: 's', seconds: 's', sec: 's', secs: 's',
  minute: 'min', minutes: 'min', mins: 'min',
  hour: 'h', hours: 'h', hr: 'h', hrs: 'h',
  day: 'd', days: 'd',
  week: 'w', weeks: 'w',
  month: 'm', months: 'm',
  year: 'y', years: 'y',
};

/**
 * Reads a length of time as the segment language writes it — `30s`, `15min`, `1h`, `2d`, `1w`, `3m`
 * (months), `1y` — or in words (`2 days`, `90 minutes`). A whole, non-negative number of one unit.
 * Throws a plain Error with the reason; callers add where it was.
 */
export function parseDuration(text: string): Duration {
  const m = /^(\d+)\s*([a-z]+)$/i.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a duration; write e.g. 30min, 1h, 2d, 1w or "2 days"`);
  const word = m[2]!.toLowerCase();
  const unit = (durationUnits as readonly string[]).includes(word) ? (word as DurationUnit) : LONG[word];
  if (!unit) throw new Error(`"${text}": unknown unit "${m[2]}"; use s, min, h, d, w, m (months) or y`);
  return { amount: Number(m[1]), unit };
}

/** The instant d after t (months and years by the calendar, in UTC, as the segment language does). */
export function after(t: Date, d: Duration): Date {
  return new Date(shift(t.getTime(), d, 1));
}

/** The instant d before t. */
export function before(t: Date, d: Duration): Date {
  return new Date(shift(t.getTime(), d, -1));
}

export function formatDuration(d: Duration): string {
  return `${d.amount}${d.unit}`;
}
