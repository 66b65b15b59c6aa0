import type { AssignmentRelation } from '../measure/sources/relation.js';
import { followMerges } from '../measure/sources/survivors.js';

/**
 * A workflow split's or holdout's assignments as the measurement capability reads them: one row per
 * customer with the variant and the first time it was assigned (a customer's variant is fixed by a
 * hash, so later runs repeat it; after an edit that changed the weights, the first assignment counts).
 * A customer merged into another is followed to the survivor, which keeps one row (survivors.ts).
 */
export function workflowAssignments(workflowId: string, stepId: string): AssignmentRelation {
  return followMerges({
    sql: `SELECT customer_id, arg_min(variant, assigned_at) AS group_name, min(assigned_at) AS assigned_at
          FROM workflow_assignments WHERE workflow_id = $1 AND step_id = $2 GROUP BY customer_id`,
    params: [workflowId, stepId],
  });
}
