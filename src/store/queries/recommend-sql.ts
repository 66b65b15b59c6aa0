/**
 * SQL pieces shared by the recommendation queries, so the per-customer answer, "bought together" and
 * the bulk evaluation use one definition of co-occurrence. No user value is ever part of this text:
 * each fragment names the placeholders its caller must bind.
 *
 * A basket is the set of distinct products (line kind product: no postage, fees or adjustments) of one
 * order (kind = 'order', quantity > 0) placed at or
 * before the as-of time ($asOf). Guest orders count: who bought them does not matter for which products
 * go together. Products and orders get dense integer codes first, because the pair count is a
 * self-join of tens of millions of rows and grouping integers is several times cheaper than strings.
 *
 * Co-occurrence n(p,q) is the number of baskets holding both; similarity is the cosine
 * n(p,q) / √(n(p)·n(q)), which divides out popularity so best-sellers do not neighbour everything.
 * Pairs seen in fewer than $minPair baskets are noise and are dropped; each product keeps its
 * $neighbours most similar products.
 */

/** 2^(−days from `column` to $asOf / $halfLife): the weight of a product by how recently it was bought. */
export const RECENCY_WEIGHT = (column: string): string =>
  `pow(2.0, -(epoch($asOf::TIMESTAMP) - epoch(${column})) / 86400.0 / $halfLife)`;

export const BASKETS = `
  raw_baskets AS (
    SELECT DISTINCT l.order_id, l.product_id
    FROM order_lines l JOIN orders o ON o.order_id = l.order_id
    WHERE o.kind = 'order' AND o.placed_at <= $asOf::TIMESTAMP AND l.kind = 'product'
      AND l.product_id IS NOT NULL AND l.product_id <> '' AND coalesce(l.quantity, 1) > 0
  ),
  pcode AS (
    SELECT product_id, (row_number() OVER (ORDER BY product_id))::BIGINT AS pid
    FROM (SELECT DISTINCT product_id FROM raw_baskets)
  ),
  ocode AS (
    SELECT order_id, (row_number() OVER (ORDER BY order_id))::BIGINT AS oid
    FROM (SELECT DISTINCT order_id FROM raw_baskets)
  ),
  baskets AS (
    SELECT oc.oid, pc.pid FROM raw_baskets r
    JOIN pcode pc ON pc.product_id = r.product_id JOIN ocode oc ON oc.order_id = r.order_id
  ),
  item AS (SELECT pid, count(*) AS n FROM baskets GROUP BY pid)`;

/**
 * Similarity of pairs (p, q, n_pq) in the CTE `pairs`, keeping each p's $neighbours best q (ties: the
 * smaller code, i.e. the product id first in sort order). A top-n aggregate rather than a window: it
 * never sorts the millions of pairs, which made it several times faster on the Online Retail data.
 */
const SIM = `
  sim_all AS (
    SELECT pr.p, pr.q, pr.n_pq, pr.n_pq / sqrt(ip.n * iq.n) AS cosine,
      pr.n_pq * (SELECT count(*) FROM ocode) / (ip.n * iq.n) AS lift
    FROM pairs pr JOIN item ip ON ip.pid = pr.p JOIN item iq ON iq.pid = pr.q
  ),
  sim_top AS (
    SELECT p, unnest(max_by({'q': q, 'n_pq': n_pq, 'cosine': cosine, 'lift': lift}, (cosine, -q), $neighbours)) AS x
    FROM sim_all GROUP BY p
  ),
  sim AS (SELECT p, x.q AS q, x.n_pq AS n_pq, x.cosine AS cosine, x.lift AS lift FROM sim_top)`;

/** Neighbours of the products in `anchors` (a CTE with a pid column): only their baskets are joined. */
export const NEIGHBOURS_OF = (anchors: string): string => `
  anchor_baskets AS (
    SELECT b.oid, b.pid AS p FROM baskets b JOIN ${anchors} a ON a.pid = b.pid
  ),
  pairs AS (
    SELECT ab.p, b.pid AS q, count(*) AS n_pq
    FROM anchor_baskets ab JOIN baskets b ON b.oid = ab.oid AND b.pid <> ab.p
    GROUP BY ab.p, b.pid
    HAVING count(*) >= $minPair
  ),
  ${SIM}`;

/**
 * Neighbours of every product: each unordered pair is counted once (p < q) and then mirrored, which
 * halves the largest aggregation of the whole feature.
 */
export const ALL_NEIGHBOURS = `
  half_pairs AS (
    SELECT x.pid AS p, y.pid AS q, count(*) AS n_pq
    FROM baskets x JOIN baskets y ON y.oid = x.oid AND x.pid < y.pid
    GROUP BY x.pid, y.pid
    HAVING count(*) >= $minPair
  ),
  pairs AS (
    SELECT p, q, n_pq FROM half_pairs UNION ALL SELECT q AS p, p AS q, n_pq FROM half_pairs
  ),
  ${SIM}`;

/** A readable name per product in `wanted` (a CTE with product_id): its most common name, ties to the first. */
export const NAMES_OF = (wanted: string): string => `
  names AS (
    SELECT product_id, arg_max(name, (cnt, -rnk)) AS name FROM (
      SELECT l.product_id, l.name, count(*) AS cnt,
        dense_rank() OVER (PARTITION BY l.product_id ORDER BY l.name) AS rnk
      FROM order_lines l WHERE l.product_id IN (SELECT product_id FROM ${wanted}) AND l.name IS NOT NULL
      GROUP BY l.product_id, l.name
    ) GROUP BY product_id
  )`;
