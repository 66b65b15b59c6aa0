import { parseAsOf } from '../domain/as-of.js';
import { SegmintError } from '../domain/errors.js';
import type { Queryable } from '../store/db.js';
import { defaultAsOf, ordersFrom } from '../store/queries/analytics/rfm.js';

/**
 * The as_of of an analysis: the one given, else midnight (UTC) after the day of the last order, but not
 * after midnight after today (defaultAsOf): orders dated in the future do not move it.
 */
export async function resolveAsOf(db: Queryable, text: string | undefined, option = '--as-of'): Promise<Date> {
  if (text !== undefined) return parseAsOf(text, option);
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

/**
 * The warning a command prints when its default as_of left orders out because they are dated at or
 * after it (in the future: defaultAsOf stops at midnight after today); undefined when none are.
 */
export async function ordersAfterWarning(db: Queryable, asOf: Date): Promise<string | undefined> {
  const n = await ordersFrom(db, asOf);
  if (n === 0) return undefined;
  return (
    `warning: ${n} order${n === 1 ? ' is' : 's are'} dated ${formatMoment(asOf)} or later, in the future; ` +
    `the default as-of stops at midnight after today, so ${n === 1 ? 'it is' : 'they are'} left out (see segmint quality, future_events).`
  );
}
