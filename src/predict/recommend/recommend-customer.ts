import { SegmintError } from '../../domain/errors.js';
import { resolveCustomer } from '../../profiles/resolve-customer.js';
import type { Queryable } from '../../store/db.js';
import { basketProductCount, popularForCustomer } from '../../store/queries/predict/recommend/popular.js';
import { customerOrderCount, lastOrderAt, recommendForCustomer } from '../../store/queries/recommend.js';
import { givenMethod, methodForShop, type MethodInUse, type RecommendMethod } from './method.js';
import { checkCount, cooccurrenceOptions } from './options.js';
import { localDate } from '../../domain/time-zone.js';
import { reportTimeZone } from '../../analytics/asOf.js';

export interface Recommendation {
  readonly productId: string;
  readonly name: string | null;
  readonly score: number;
  /** "bought together with X", or "popular" for a best-seller (the method, or a fill-in when co-purchases run out). */
  readonly reason: string;
  readonly becauseOf: string | null;
}

export interface CustomerRecommendations {
  readonly customerId: string;
  readonly asOf: string;
  readonly ordersSoFar: number;
  /** The method used and why: the shop's own evaluation chooses it unless one is given. */
  readonly method: MethodInUse;
  readonly recommendations: readonly Recommendation[];
  /** Why the list is shorter than asked, when it is. */
  readonly note?: string;
}

/**
 * The n products a customer (any identifier they are known by) is most likely to want next and has not
 * bought yet, learnt from every basket up to asOf (default: the latest order). The method is the shop's:
 * co-occurrence (cosine similarity to the customer's products, recency-weighted, filled with
 * best-sellers) when the shop's time-split evaluation shows it beats recommending best-sellers, else
 * best-sellers (see method.ts); `method` overrides the choice. A store without product lines is refused.
 */
export async function recommendProducts(
  db: Queryable,
  customerRef: string,
  options: { n?: number; asOf?: Date; method?: RecommendMethod | 'auto'; onEvaluating?: () => void } = {},
): Promise<CustomerRecommendations> {
  const n = checkCount(options.n ?? 10);
  const asOf = options.asOf ?? (await lastOrderAt(db));
  if (!asOf) throw new SegmintError('no_orders', 'There are no orders in the store to learn recommendations from; import orders first.');
  const customerId = await resolveCustomer(db, customerRef);
  if ((await basketProductCount(db, asOf)) === 0) {
    throw new SegmintError(
      'no_products',
      `No order up to ${localDate(asOf, await reportTimeZone(db))} has product lines, so there is nothing to recommend from; import orders with their lines (product ids).`,
      { asOf: asOf.toISOString() },
    );
  }
  const method =
    options.method === undefined || options.method === 'auto' ? await methodForShop(db, options.onEvaluating) : givenMethod(options.method);
  const orders = (await customerOrderCount(db, customerId, asOf)) ?? 0;
  const rows =
    method.method === 'cooccurrence' ? await recommendForCustomer(db, customerId, n, cooccurrenceOptions(asOf)) : await popularForCustomer(db, customerId, n, asOf);
  return {
    customerId,
    asOf: asOf.toISOString(),
    ordersSoFar: orders,
    method,
    recommendations: rows.map((r) => ({
      productId: r.product_id,
      name: r.name,
      score: r.score,
      becauseOf: r.because_of,
      reason:
        r.because_of === null
          ? `popular (in ${r.popularity} order${r.popularity === 1 ? '' : 's'})`
          : `often bought with ${label(r.because_of, r.because_of_name)}`,
    })),
    ...(rows.length < n
      ? { note: rows.length === 0 ? 'The customer has already bought every product in the store.' : `Only ${rows.length} product${rows.length === 1 ? ' is' : 's are'} left that the customer has not bought.` }
      : {}),
  };
}

/** `NAME (ID)`, or the id alone; the name trimmed, as shop data such as Online Retail's descriptions end in blanks. */
function label(id: string, name: string | null): string {
  const n = name?.trim();
  return n && n !== id ? `${n} (${id})` : id;
}
