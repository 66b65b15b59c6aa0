import { SegmintError } from '../domain/errors.js';
import type { Queryable } from '../store/db.js';
import { defaultAsOf } from '../store/queries/analytics/rfm.js';

/**
 * Parses a moment the user typed (`2011-12-10`, `2011-12-10T08:00`, `2011-12-10 08:00:00Z`) as UTC.
 * A date alone means midnight at the start of that day.
 */
export function parseMoment(text: string, option: string): Date {
  const t = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?Z?$/.exec(t);
  const bad = () =>
    new SegmintError('invalid_time', `${option}: "${text}" is not a date or time (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, UTC)`, {
      option,
      value: text,
    });
  if (!m) throw bad();
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms!));
  // Date.UTC rolls 2011-02-30 over to March; a rolled date is a typo, not a moment.
  if (date.getUTCMonth() !== mo! - 1 || date.getUTCDate() !== d! || h! > 23 || mi! > 59 || s! > 59) throw bad();
  return date;
}

/** The as_of of an analysis: the one given, else midnight after the day of the last order. */
export async function resolveAsOf(db: Queryable, text: string | undefined, option = '--as-of'): Promise<Date> {
  if (text !== undefined) return parseMoment(text, option);
  const t = await defaultAsOf(db);
  if (!t) {
    throw new SegmintError('no_orders', 'There are no orders of identified customers yet: import orders first (segmint import FILE).', {});
  }
  return t;
}

/** `2011-12-10` for a midnight, else the full ISO time: how reports print an as_of. */
export function formatMoment(t: Date): string {
  const iso = t.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}
