import type { Queryable } from '../../../db.js';
import { BASKETS, NAMES_OF } from '../../recommend-sql.js';
import type { RecommendationRow } from '../../recommend.js';

/**
 * The popularity method for one customer: the n products in the most baskets up to asOf (ties: product
 * id) that the customer had not bought by then. The same baskets and the same "owned" rule as the
 * co-occurrence query and the popularity baseline of the evaluation, so the method a shop chose by the
 * evaluation is the method it gets.
 */
export function popularForCustomer(db: Queryable, customerId: string, n: number, asOf: Date): Promise<RecommendationRow[]> {
  return db.all<RecommendationRow>(
    `WITH ${BASKETS},
     owned AS (
       SELECT DISTINCT pc.pid FROM orders o JOIN order_lines l ON l.order_id = o.order_id JOIN pcode pc ON pc.product_id = l.product_id
       WHERE o.customer_id = $customer AND o.kind = 'order' AND o.placed_at <= $asOf::TIMESTAMP
     ),
     top AS (
       SELECT pc.product_id, i.n AS popularity FROM item i JOIN pcode pc ON pc.pid = i.pid
       WHERE i.pid NOT IN (SELECT pid FROM owned)
       ORDER BY i.n DESC, pc.product_id LIMIT $n
     ),
     ${NAMES_OF('top')}
     SELECT t.product_id, nm.name, 0::DOUBLE AS score, NULL AS because_of, NULL AS because_of_name, t.popularity
     FROM top t LEFT JOIN names nm ON nm.product_id = t.product_id
     ORDER BY t.popularity DESC, t.product_id`,
    { asOf, customer: customerId, n },
  );
}

/** Products in any basket up to asOf: zero means there is nothing to recommend from (no product lines). */
export async function basketProductCount(db: Queryable, asOf: Date): Promise<number> {
  const row = await db.one<{ n: number }>(`WITH ${BASKETS} SELECT count(*)::INTEGER AS n FROM item`, { asOf });
  return row?.n ?? 0;
}
