import type { AssignmentRelation } from './relation.js';
import { followMerges } from './survivors.js';

/** The assignments of a one-off campaign experiment: the rows written when it was created, merges followed (survivors.ts). */
export function campaignAssignments(experimentId: string): AssignmentRelation {
  return followMerges({
    sql: 'SELECT customer_id, group_name, assigned_at FROM experiment_assignments WHERE experiment_id = $1',
    params: [experimentId],
  });
}
