import type { Queryable } from '../db.js';
import { BASKETS, NAMES_OF, NEIGHBOURS_OF, RECENCY_WEIGHT } from './recommend-sql.js';

export interface CooccurrenceOptions {
  readonly asOf: Date;
  /** Pairs seen together in fewer baskets than this are ignored. */
  readonly minPair: number;
  /** Each product keeps only its most similar products, this many. */
  readonly neighbours: number;
  /** A product the customer bought this many days before asOf counts half as much as one bought at asOf. */
  readonly halfLifeDays: number;
}

export interface TogetherRow {
  product_id: string;
  name: string | null;
  together: number;
  cosine: number;
  lift: number;
}

/** Products most often in the same basket as `productId`, by cosine similarity. */
export async function boughtTogether(db: Queryable, productId: string, n: number, o: CooccurrenceOptions): Promise<TogetherRow[]> {
  return db.all<TogetherRow>(
    `WITH ${BASKETS},
     target AS (SELECT pid FROM pcode WHERE product_id = $product),
     ${NEIGHBOURS_OF('target')},
     top AS (
       SELECT pc.product_id, s.n_pq, s.cosine, s.lift FROM sim s JOIN pcode pc ON pc.pid = s.q
       ORDER BY s.cosine DESC, pc.product_id LIMIT $n
     ),
     ${NAMES_OF('top')}
     SELECT t.product_id, nm.name, t.n_pq AS together, t.cosine, t.lift
     FROM top t LEFT JOIN names nm ON nm.product_id = t.product_id
     ORDER BY t.cosine DESC, t.product_id`,
    { asOf: o.asOf, product: productId, minPair: o.minPair, neighbours: o.neighbours, n },
  );
}

/** How many baskets hold the product, and its name (undefined when it was never bought by asOf). */
export async function productInfo(db: Queryable, productId: string, asOf: Date): Promise<{ baskets: number; name: string | null } | undefined> {
  return db.one<{ baskets: number; name: string | null }>(
    `WITH ${BASKETS},
     wanted AS (SELECT $product::VARCHAR AS product_id),
     ${NAMES_OF('wanted')}
     SELECT i.n AS baskets, nm.name FROM pcode pc JOIN item i ON i.pid = pc.pid
     LEFT JOIN names nm ON nm.product_id = pc.product_id
     WHERE pc.product_id = $product`,
    { asOf, product: productId },
  );
}

export interface RecommendationRow {
  product_id: string;
  name: string | null;
  /** Recency-weighted sum of cosine similarities to the customer's products; 0 for a popularity fill-in. */
  score: number;
  /** The customer's product most similar to this one (null for a popularity fill-in). */
  because_of: string | null;
  because_of_name: string | null;
  /** Baskets holding the product: the popularity used to order fill-ins and break ties. */
  popularity: number;
}

/**
 * Top n products the customer has not bought (as of asOf), scored by the cosine similarity to the
 * products they have bought, summed with each bought product weighted by how recently they bought it
 * (half-life halfLifeDays): the next order follows the latest interests more than last year's. When fewer than n products have any similarity, the rest are the most
 * popular products they have not bought, with score 0.
 */
export async function recommendForCustomer(db: Queryable, customerId: string, n: number, o: CooccurrenceOptions): Promise<RecommendationRow[]> {
  return db.all<RecommendationRow>(
    `WITH ${BASKETS},
     owned_ids AS (
       SELECT l.product_id, max(o.placed_at) AS last_at FROM orders o JOIN order_lines l ON l.order_id = o.order_id
       WHERE o.customer_id = $customer AND o.kind = 'order' AND o.placed_at <= $asOf::TIMESTAMP AND l.product_id IS NOT NULL
         AND l.kind = 'product'
       GROUP BY l.product_id
     ),
     owned AS (
       SELECT pc.pid, ${RECENCY_WEIGHT('w.last_at')} AS weight
       FROM pcode pc JOIN owned_ids w ON w.product_id = pc.product_id
     ),
     ${NEIGHBOURS_OF('owned')},
     scored AS (
       SELECT s.q, sum(s.cosine * ow.weight) AS score, arg_max(s.p, (s.cosine * ow.weight, -s.p)) AS because_of
       FROM sim s JOIN owned ow ON ow.pid = s.p
       WHERE s.q NOT IN (SELECT pid FROM owned) GROUP BY s.q
     ),
     top AS (
       SELECT pc.product_id, coalesce(s.score, 0) AS score, bc.product_id AS because_of, i.n AS popularity
       FROM item i JOIN pcode pc ON pc.pid = i.pid
       LEFT JOIN scored s ON s.q = i.pid
       LEFT JOIN pcode bc ON bc.pid = s.because_of
       WHERE i.pid NOT IN (SELECT pid FROM owned)
       ORDER BY coalesce(s.score, 0) DESC, i.n DESC, pc.product_id
       LIMIT $n
     ),
     wanted AS (SELECT product_id FROM top UNION SELECT because_of FROM top WHERE because_of IS NOT NULL),
     ${NAMES_OF('wanted')}
     SELECT t.product_id, nm.name, t.score, t.because_of, bn.name AS because_of_name, t.popularity
     FROM top t LEFT JOIN names nm ON nm.product_id = t.product_id LEFT JOIN names bn ON bn.product_id = t.because_of
     ORDER BY t.score DESC, t.popularity DESC, t.product_id`,
    { asOf: o.asOf, customer: customerId, minPair: o.minPair, neighbours: o.neighbours, halfLife: o.halfLifeDays, n },
  );
}

/** Whether the customer exists and how many orders they had by asOf (undefined: no such customer). */
export async function customerOrderCount(db: Queryable, customerId: string, asOf: Date): Promise<number | undefined> {
  const row = await db.one<{ known: boolean; orders: number }>(
    `SELECT EXISTS (SELECT 1 FROM customers WHERE customer_id = $1) AS known,
       (SELECT count(*) FROM orders WHERE customer_id = $1 AND kind = 'order' AND placed_at <= $2::TIMESTAMP) AS orders`,
    [customerId, asOf],
  );
  return row?.known ? row.orders : undefined;
}

/** The latest order time in the store (any order, guests included), or undefined when there are none. */
export async function lastOrderAt(db: Queryable): Promise<Date | undefined> {
  const row = await db.one<{ t: Date | null }>(`SELECT max(placed_at) AS t FROM orders WHERE kind = 'order'`);
  return row?.t ?? undefined;
}
