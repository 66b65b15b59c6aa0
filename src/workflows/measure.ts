import type { Queryable } from '../store/db.js';
import { findExperiment, insertExperiment } from '../store/queries/measure/experiments.js';
import { recordSegmentUse } from '../store/queries/measure/usage.js';
import { findSegmentRecord } from '../store/queries/segments/definitions.js';
import { referencedSegments } from '../segments/index.js';
import { ENTRY_STEP, HOLDOUT, TREATMENT } from './engine/assign.js';
import type { SegmentCondition, WorkflowDefinition } from './definition/types.js';
import { allSteps } from './definition/steps.js';
import { workflowAssignmentSource } from './assignment-source.js';

/**
 * The saved segments a workflow uses: the one its trigger (entered/exited, schedule) names, and every
 * `in segment "x"` of its conditions (trigger filter, goal, branches, waits for events), each once.
 */
export function segmentsUsedBy(d: WorkflowDefinition): string[] {
  const out = new Set<string>();
  const t = d.trigger;
  if (t.kind === 'segment' || t.kind === 'schedule') out.add(t.segment);
  const conditions: (SegmentCondition | undefined)[] = [d.goal, t.kind === 'event' ? t.where : undefined];
  for (const s of allSteps(d.steps)) {
    if (s.kind === 'branch') conditions.push(s.condition);
    if (s.kind === 'wait_event') conditions.push(s.where);
  }
  for (const c of conditions) if (c) for (const name of referencedSegments(c.ast)) out.add(name);
  return [...out];
}

/**
 * Records that a workflow uses its segments (segmentsUsedBy) at `now`, so segment health does not call
 * them forgotten: when the workflow is saved, and once a day by the engine while it is active.
 * Segments that no longer exist are skipped.
 */
export async function recordSegmentUses(tx: Queryable, w: { name: string; definition: WorkflowDefinition }, now: Date): Promise<void> {
  for (const name of segmentsUsedBy(w.definition)) {
    const segment = await findSegmentRecord(tx, name);
    if (segment) await recordSegmentUse(tx, segment.segment_id, 'workflow', w.name, now);
  }
}

/**
 * When a workflow is saved: an experiment for its holdout (`workflow NAME holdout`) and for each split
 * (`workflow NAME split STEP`), so `segmint experiments analyze` compares the groups; and a use of each
 * segment it uses (recordSegmentUses). An experiment already made by an earlier version is kept.
 */
export async function recordWorkflowMeasures(
  tx: Queryable,
  w: { id: string; name: string; definition: WorkflowDefinition },
  now: Date,
): Promise<void> {
  await recordSegmentUses(tx, w, now);
  const t = w.definition.trigger;
  const segment = t.kind === 'segment' || t.kind === 'schedule' ? await findSegmentRecord(tx, t.segment) : undefined;
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
