import { parseAsOf } from '../domain/as-of.js';
import { SegmintError } from '../domain/errors.js';
import type { Queryable } from '../store/db.js';
import { defaultAsOf } from '../store/queries/analytics/rfm.js';

/** The as_of of an analysis: the one given, else midnight after the day of the last order. */
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
