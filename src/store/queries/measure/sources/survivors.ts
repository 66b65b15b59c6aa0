import type { AssignmentRelation } from './relation.js';

/**
 * An assignment relation with merges followed (docs/experiments.md, "Assignment sources"): each row's
 * customer is replaced by the profile that absorbed it (customers.merged_into, followed to the end of
 * the chain, at most 50 steps as everywhere else), and the person keeps one row, its first assignment:
 * the earliest `assigned_at`, then the survivor's own row, then the lowest former id (so a campaign,
 * whose rows all carry one time, gives the survivor its own group when it was assigned). Without this a
 * customer merged into another after both were assigned counts twice in n, the SRM test and every
 * metric (trial 8, D2). A customer with no row left (erased) keeps its id, as before. Adds no
 * placeholders: `params` are the inner relation's, which must already give one row per customer id.
 *
 * Cost: only merged customers are walked, and only the rows of people a merge touched are grouped; the
 * others pass through two anti-joins against those (small) sets, so a base without merges reads as fast
 * as the inner relation.
 */
export function followMerges(inner: AssignmentRelation): AssignmentRelation {
  return {
    sql: `WITH RECURSIVE assigned AS (${inner.sql}),
          hop(origin, customer_id, depth) AS (
            SELECT customer_id, merged_into, 1 FROM customers WHERE merged_into IS NOT NULL
            UNION ALL
            SELECT hop.origin, c.merged_into, hop.depth + 1 FROM hop JOIN customers c ON c.customer_id = hop.customer_id
            WHERE c.merged_into IS NOT NULL AND hop.depth < 50
          ),
          survivor AS (SELECT origin, arg_max(customer_id, depth) AS customer_id FROM hop GROUP BY origin),
          moved AS (
            SELECT s.customer_id, a.customer_id AS former, a.group_name, a.assigned_at
            FROM assigned a JOIN survivor s ON s.origin = a.customer_id
          ),
          touched AS (
            SELECT customer_id, former, group_name, assigned_at FROM moved
            UNION ALL
            SELECT customer_id, customer_id, group_name, assigned_at FROM assigned WHERE customer_id IN (SELECT customer_id FROM moved)
          )
          SELECT customer_id, group_name, assigned_at FROM assigned
          WHERE customer_id NOT IN (SELECT origin FROM survivor) AND customer_id NOT IN (SELECT customer_id FROM moved)
          UNION ALL
          SELECT customer_id,
            arg_min(group_name, struct_pack(t := assigned_at, own := former <> customer_id, id := former)) AS group_name,
            min(assigned_at) AS assigned_at
          FROM touched GROUP BY customer_id`,
    params: inner.params,
  };
}
