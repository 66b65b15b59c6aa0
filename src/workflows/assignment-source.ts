import { registerAssignmentSource, type AssignmentSource } from '../measure/experiments/sources.js';
import { workflowAssignments } from '../store/queries/workflows/assignment-source.js';

// Apart from workflows/measure.ts: every command registers this source at start (src/fields.ts), so
// it must not import the workflow engine or the segment compiler.

/**
 * Workflow splits and holdouts as experiments of the measurement capability (docs/experiments.md,
 * "Assignment sources"): the source `workflow` reads workflow_assignments for the workflow and step an
 * experiment names; customers keep entering, so it accrues.
 */
export const workflowAssignmentSource: AssignmentSource = {
  kind: 'workflow',
  relation: (e) => workflowAssignments(String(e.source_ref.workflow_id), String(e.source_ref.step_id)),
  accrues: true,
};

/** Makes `workflow` experiments readable by analysis; the shells call it once at start. */
export function registerWorkflowAssignmentSource(): void {
  registerAssignmentSource(workflowAssignmentSource);
}

