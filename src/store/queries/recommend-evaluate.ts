import type { Queryable } from '../db.js';
import type { CooccurrenceOptions } from './recommend.js';
import { ALL_NEIGHBOURS, BASKETS, RECENCY_WEIGHT } from './recommend-sql.js';

export interface HitRateRow {
  customers: number;
  cooccurrence_hits: number;
  popularity_hits: number;
}

/**
 * Hit rate at n of the next order, for both co-occurrence and popularity, in one statement.
 *
 * Everything before the split (asOf) is history: baskets for co-occurrence, each customer's owned
 * products. The customers evaluated are those with an order at or before the split and one after; the
 * truth is the product set of their first order after the split. Each method recommends n products the
 * customer had not bought (co-occurrence ranks by recency-weighted summed cosine and fills with popular products; the
 * popularity baseline takes the most popular products), and a hit is any of the n in that next order.
 * Popular fill-ins come from the top `poolSize` products, plenty while no customer owns most of them.
 */
export async function hitRates(db: Queryable, n: number, o: CooccurrenceOptions, poolSize = 500): Promise<HitRateRow> {
  const row = await db.one<HitRateRow>(
    `WITH ${BASKETS},
     next_order AS (
       SELECT customer_id, order_id FROM orders
       WHERE kind = 'order' AND customer_id IS NOT NULL AND placed_at > $asOf::TIMESTAMP
         AND customer_id IN (SELECT customer_id FROM orders WHERE kind = 'order' AND placed_at <= $asOf::TIMESTAMP)
       QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY placed_at, order_id) = 1
     ),
     truth AS (
       SELECT DISTINCT nx.customer_id, pc.pid FROM next_order nx
       JOIN order_lines l ON l.order_id = nx.order_id JOIN pcode pc ON pc.product_id = l.product_id
     ),
     owned AS (
       SELECT o.customer_id, pc.pid, ${RECENCY_WEIGHT('max(o.placed_at)')} AS weight FROM orders o
       JOIN order_lines l ON l.order_id = o.order_id JOIN pcode pc ON pc.product_id = l.product_id
       WHERE o.kind = 'order' AND o.placed_at <= $asOf::TIMESTAMP
         AND o.customer_id IN (SELECT customer_id FROM next_order)
       GROUP BY o.customer_id, pc.pid
     ),
     ${ALL_NEIGHBOURS},
     scored AS (
       SELECT ow.customer_id, s.q AS pid, sum(s.cosine * ow.weight) AS score
       FROM owned ow JOIN sim s ON s.p = ow.pid
       GROUP BY ow.customer_id, s.q
     ),
     pool AS (SELECT pid FROM item ORDER BY n DESC, pid LIMIT $pool),
     candidates AS (
       SELECT c.customer_id, c.pid, max(c.score) AS score FROM (
         SELECT customer_id, pid, score FROM scored
         UNION ALL
         SELECT nx.customer_id, p.pid, 0 FROM next_order nx CROSS JOIN pool p
       ) c
       ANTI JOIN owned ow ON ow.customer_id = c.customer_id AND ow.pid = c.pid
       GROUP BY c.customer_id, c.pid
     ),
     ranked AS (
       SELECT c.customer_id, c.pid,
         row_number() OVER (PARTITION BY c.customer_id ORDER BY c.score DESC, i.n DESC, c.pid) AS by_cooc,
         row_number() OVER (PARTITION BY c.customer_id ORDER BY i.n DESC, c.pid) AS by_pop
       FROM candidates c JOIN item i ON i.pid = c.pid
     ),
     hit_rows AS (
       SELECT r.customer_id, bool_or(r.by_cooc <= $n) AS cooc_hit, bool_or(r.by_pop <= $n) AS pop_hit
       FROM ranked r JOIN truth t ON t.customer_id = r.customer_id AND t.pid = r.pid
       WHERE r.by_cooc <= $n OR r.by_pop <= $n
       GROUP BY r.customer_id
     )
     SELECT count(*) AS customers,
       count(*) FILTER (WHERE h.cooc_hit) AS cooccurrence_hits,
       count(*) FILTER (WHERE h.pop_hit) AS popularity_hits
     FROM next_order nx LEFT JOIN hit_rows h ON h.customer_id = nx.customer_id`,
    { asOf: o.asOf, minPair: o.minPair, neighbours: o.neighbours, halfLife: o.halfLifeDays, n, pool: poolSize },
  );
  return row ?? { customers: 0, cooccurrence_hits: 0, popularity_hits: 0 };
}
