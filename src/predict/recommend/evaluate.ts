import { SegmintError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { hitRates } from '../../store/queries/recommend-evaluate.js';
import { lastOrderAt } from '../../store/queries/recommend.js';
import { checkCount, cooccurrenceOptions } from './options.js';
import { localDate } from '../../domain/time-zone.js';
import { reportTimeZone } from '../../analytics/asOf.js';

export interface RecommendEvaluation {
  readonly split: string;
  readonly n: number;
  /** Customers with an order before the split and one after it. */
  readonly customers: number;
  readonly cooccurrence: { readonly hits: number; readonly hitRate: number };
  readonly popularity: { readonly hits: number; readonly hitRate: number };
}

/** Default split: 90 days before the latest order, so most returning customers have a next order to test on. */
export const DEFAULT_SPLIT_DAYS = 90;

/**
 * Hit rate at n of the next order on a time split: learn from everything up to the split, recommend n
 * products each customer had not bought, and count a hit when any of them is in the customer's first
 * order after the split. Compared with recommending the n most popular products they had not bought.
 */
export async function evaluateRecommendations(
  db: Queryable,
  options: { split?: Date; n?: number } = {},
): Promise<RecommendEvaluation> {
  const n = checkCount(options.n ?? 10);
  const last = await lastOrderAt(db);
  if (!last) throw new SegmintError('no_orders', 'There are no orders in the store to evaluate on; import orders first.');
  const split = options.split ?? new Date(last.getTime() - DEFAULT_SPLIT_DAYS * 86_400_000);
  const r = await hitRates(db, n, cooccurrenceOptions(split));
  if (r.customers === 0) {
    throw new SegmintError(
      'nothing_to_evaluate',
      `No customer has an order both before and after the split ${localDate(split, await reportTimeZone(db))}; choose an earlier --split.`,
      { split: split.toISOString() },
    );
  }
  return {
    split: split.toISOString(),
    n,
    customers: r.customers,
    cooccurrence: { hits: r.cooccurrence_hits, hitRate: r.cooccurrence_hits / r.customers },
    popularity: { hits: r.popularity_hits, hitRate: r.popularity_hits / r.customers },
  };
}
