import { registerAssignmentSource, type AssignmentSource } from '../measure/experiments/sources.js';
import type { Queryable } from '../store/db.js';
import { findExperiment, insertExperiment } from '../store/queries/measure/experiments.js';
import { recordSegmentUse } from '../store/queries/measure/usage.js';
import { findSegmentRecord } from '../store/queries/segments/definitions.js';
import { workflowAssignments } from '../store/queries/workflows/assignment-source.js';
import { ENTRY_STEP, HOLDOUT, TREATMENT } from './engine/assign.js';
import type { WorkflowDefinition } from './definition/types.js';
import { allSteps } from './definition/steps.js';

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

/**
 * When a workflow is saved: an experiment for its holdout (`workflow NAME holdout`) and for each split
 * (`workflow NAME split STEP`), so `segmint experiments analyze` compares the groups; and a use of the
 * segment it is triggered by, so segment health does not call that segment forgotten. An experiment
 * already made by an earlier version is kept.
 */
export async function recordWorkflowMeasures(
  tx: Queryable,
  w: { id: string; name: string; definition: WorkflowDefinition },
  now: Date,
): Promise<void> {
  const t = w.definition.trigger;
  const segment = t.kind === 'segment' || t.kind === 'schedule' ? await findSegmentRecord(tx, t.segment) : undefined;
  if (segment) await recordSegmentUse(tx, segment.segment_id, 'workflow', w.name, now);
  const experiments: { name: string; step: string; groups: { name: string; weight: number }[] }[] = [];
  const h = w.definition.holdout;
  if (h > 0) experiments.push({ name: `workflow ${w.name} holdout`, step: ENTRY_STEP, groups: [{ name: HOLDOUT, weight: h * 100 }, { name: TREATMENT, weight: (1 - h) * 100 }] });
  for (const s of allSteps(w.definition.steps)) {
    if (s.kind === 'split') experiments.push({ name: `workflow ${w.name} split ${s.id}`, step: s.id, groups: s.variants.map((v) => ({ name: v.name, weight: v.weight })) });
  }
  for (const e of experiments) {
    if (await findExperiment(tx, e.name)) continue;
    await insertExperiment(tx, {
      experiment_id: `wf-${w.id}-${e.step}`,
      name: e.name,
      source: workflowAssignmentSource.kind,
      source_ref: { workflow_id: w.id, workflow: w.name, step_id: e.step },
      segment_id: segment?.segment_id ?? null,
      groups: e.groups,
      salt: `${w.id}:${e.step}`,
      assigned_at: now,
      planned_customers: null,
      description: `assignments recorded by the workflow "${w.name}"`,
      created_at: now,
    });
  }
}
