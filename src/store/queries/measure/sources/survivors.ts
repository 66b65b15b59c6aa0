import type { AssignmentRelation } from './relation.js';

/**
 * An assignment relation with merges followed (docs/experiments.md, "Assignment sources"): each row's
 * customer is replaced by the profile that absorbed it (customers.merged_into, followed to the end of
 * the chain, at most 50 steps as everywhere else), and the person keeps one row, its first assignment:
 * the earliest `assigned_at`, then the survivor's own row, then the lowest former id (so a campaign,
 * whose rows all carry one time, gives the survivor its own group when it was assigned). Without this a
 * customer merged into another after both were assigned counts twice in n, the SRM test and every
 * metric (trial 8, D2). A customer with no row left (erased) keeps its id, as before. Adds no
 * placeholders: `params` are the inner relation's.
 */
export function followMerges(inner: AssignmentRelation): AssignmentRelation {
  return {
    sql: `WITH RECURSIVE assigned AS (${inner.sql}),
          chain(origin, customer_id, depth) AS (
            SELECT DISTINCT customer_id, customer_id, 0 FROM assigned
            UNION ALL
            SELECT chain.origin, c.merged_into, chain.depth + 1 FROM chain JOIN customers c ON c.customer_id = chain.customer_id
            WHERE c.merged_into IS NOT NULL AND chain.depth < 50
          ),
          survivor AS (SELECT origin, arg_max(customer_id, depth) AS customer_id FROM chain GROUP BY origin),
          ranked AS (
            SELECT s.customer_id, a.group_name, a.assigned_at,
              row_number() OVER (PARTITION BY s.customer_id ORDER BY a.assigned_at, (a.customer_id = s.customer_id) DESC, a.customer_id) AS k
            FROM assigned a JOIN survivor s ON s.origin = a.customer_id
          )
          SELECT customer_id, group_name, assigned_at FROM ranked WHERE k = 1`,
    params: inner.params,
  };
}
