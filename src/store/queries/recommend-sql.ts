/**
 * SQL pieces shared by the recommendation queries, so the per-customer answer, "bought together" and
 * the bulk evaluation use one definition of co-occurrence. No user value is ever part of this text:
 * each fragment names the placeholders its caller must bind.
 *
 * A basket is the set of distinct products of one order (kind = 'order', quantity > 0) placed at or
 * before the as-of time ($asOf). Guest orders count: who bought them does not matter for which products
 * go together. Co-occurrence n(p,q) is the number of baskets holding both; similarity is the cosine
 * n(p,q) / √(n(p)·n(q)), which divides out popularity so best-sellers do not neighbour everything.
 * Pairs seen in fewer than $minPair baskets are noise and are dropped; each product keeps its
 * $neighbours most similar products.
 */
export const BASKETS = `
  baskets AS (
    SELECT DISTINCT l.order_id, l.product_id
    FROM order_lines l JOIN orders o ON o.order_id = l.order_id
    WHERE o.kind = 'order' AND o.placed_at <= $asOf::TIMESTAMP
      AND l.product_id IS NOT NULL AND l.product_id <> '' AND coalesce(l.quantity, 1) > 0
  ),
  item AS (SELECT product_id, count(*) AS n FROM baskets GROUP BY product_id)`;

/** Cosine similarity of every pair among products in `anchors` (a CTE with product_id) and all products. */
export const NEIGHBOURS_OF = (anchors: string): string => `
  anchor_baskets AS (
    SELECT b.order_id, b.product_id AS p FROM baskets b JOIN ${anchors} a ON a.product_id = b.product_id
  ),
  pairs AS (
    SELECT ab.p, b.product_id AS q, count(*) AS n_pq
    FROM anchor_baskets ab JOIN baskets b ON b.order_id = ab.order_id AND b.product_id <> ab.p
    GROUP BY ab.p, b.product_id
    HAVING count(*) >= $minPair
  ),
  sim AS (
    SELECT pr.p, pr.q, pr.n_pq, ip.n AS n_p, iq.n AS n_q,
      pr.n_pq / sqrt(ip.n * iq.n) AS cosine,
      pr.n_pq * (SELECT count(DISTINCT order_id) FROM baskets) / (ip.n * iq.n) AS lift
    FROM pairs pr JOIN item ip ON ip.product_id = pr.p JOIN item iq ON iq.product_id = pr.q
    QUALIFY row_number() OVER (PARTITION BY pr.p ORDER BY pr.n_pq / sqrt(ip.n * iq.n) DESC, pr.q) <= $neighbours
  )`;

/** A readable name per product: the most common one on its lines (ties: the first in sort order). */
export const NAMES = `
  names AS (
    SELECT product_id, arg_max(name, (cnt, -rnk)) AS name FROM (
      SELECT product_id, name, count(*) AS cnt,
        dense_rank() OVER (PARTITION BY product_id ORDER BY name) AS rnk
      FROM order_lines WHERE product_id IS NOT NULL AND name IS NOT NULL GROUP BY product_id, name
    ) GROUP BY product_id
  )`;
