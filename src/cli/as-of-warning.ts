import { ordersAfterWarning } from '../analytics/asOf.js';
import type { Queryable } from '../store/db.js';
import { printErr } from './context.js';

/** Prints on stderr how many orders a default as-of left out for being dated in the future (asOf.ts). */
export async function warnOrdersAfter(db: Queryable, asOf: Date): Promise<void> {
  const w = await ordersAfterWarning(db, asOf);
  if (w !== undefined) printErr(w + '\n');
}
