import { SegmintError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { customerOrderCount, lastOrderAt, recommendForCustomer } from '../../store/queries/recommend.js';
import { resolveCustomer } from '../explain/resolve.js';
import { checkCount, cooccurrenceOptions } from './options.js';

export interface Recommendation {
  readonly productId: string;
  readonly name: string | null;
  readonly score: number;
  /** "bought together with X", or "popular" for a fill-in when co-purchases run out. */
  readonly reason: string;
  readonly becauseOf: string | null;
}

export interface CustomerRecommendations {
  readonly customerId: string;
  readonly asOf: string;
  readonly ordersSoFar: number;
  readonly recommendations: readonly Recommendation[];
}

/**
 * The n products a customer (id, or an identifier they are known by) is most likely to want next and has not bought yet: item-to-item
 * co-occurrence over every basket up to asOf (default: the latest order), popularity-corrected by cosine
 * similarity, summed over the customer's products. A customer with no orders gets the best-sellers.
 */
export async function recommendProducts(
  db: Queryable,
  customerRef: string,
  options: { n?: number; asOf?: Date } = {},
): Promise<CustomerRecommendations> {
  const n = checkCount(options.n ?? 10);
  const asOf = options.asOf ?? (await lastOrderAt(db));
  if (!asOf) throw new SegmintError('no_orders', 'There are no orders in the store to learn recommendations from; import orders first.');
  const customerId = await resolveCustomer(db, customerRef);
  const orders = (await customerOrderCount(db, customerId, asOf)) ?? 0;
  const rows = await recommendForCustomer(db, customerId, n, cooccurrenceOptions(asOf));
  return {
    customerId,
    asOf: asOf.toISOString(),
    ordersSoFar: orders,
    recommendations: rows.map((r) => ({
      productId: r.product_id,
      name: r.name,
      score: r.score,
      becauseOf: r.because_of,
      reason:
        r.because_of === null
          ? `popular (in ${r.popularity} orders)`
          : `often bought with ${label(r.because_of, r.because_of_name)}`,
    })),
  };
}

function label(id: string, name: string | null): string {
  return name && name !== id ? `${name} (${id})` : id;
}
