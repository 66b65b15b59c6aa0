import type { Queryable } from '../db.js';
import { BASKETS } from './recommend-sql.js';

export interface PairCounts {
  baskets: number;
  products: number;
  /** Distinct unordered product pairs bought together in at least minPair orders. */
  pairs: number;
  /** Basket rows the self-join produces (each unordered pair occurrence once). */
  joined: number;
}

/**
 * Size of the co-occurrence problem up to asOf: the full pair count of the recommendation queries
 * (self-join per order, grouped by product pair). Used by `bench/propensity.ts` and for diagnostics.
 */
export async function countPairs(db: Queryable, asOf: Date, minPair: number): Promise<PairCounts> {
  const row = await db.one<PairCounts>(
    `WITH ${BASKETS},
     half_pairs AS (
       SELECT x.pid AS p, y.pid AS q, count(*) AS n_pq
       FROM baskets x JOIN baskets y ON y.oid = x.oid AND x.pid < y.pid
       GROUP BY x.pid, y.pid
     )
     SELECT (SELECT count(*) FROM ocode) AS baskets, (SELECT count(*) FROM pcode) AS products,
       count(*) FILTER (WHERE n_pq >= $minPair) AS pairs, coalesce(sum(n_pq), 0)::BIGINT AS joined
     FROM half_pairs`,
    { asOf, minPair },
  );
  return row ?? { baskets: 0, products: 0, pairs: 0, joined: 0 };
}

/**
 * The floor under any per-order pair count: produce every joined row of the self-join and only count
 * them, with no grouping. The bench divides the pair count's time by this one.
 */
export async function countJoinedRows(db: Queryable, asOf: Date): Promise<number> {
  const row = await db.one<{ n: number }>(
    `WITH ${BASKETS}
     SELECT count(*) AS n FROM baskets x JOIN baskets y ON y.oid = x.oid AND x.pid < y.pid`,
    { asOf },
  );
  return row?.n ?? 0;
}
