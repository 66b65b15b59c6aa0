import type { Store } from '../../store/db.js';
import { findVersion, findWorkflow } from '../../store/queries/workflows/definitions.js';
import { activeRunsByStep, runStatusCounts, sendsByStep, stepOutcomes } from '../../store/queries/workflows/step-counts.js';
import { readObject } from '../definition/source.js';
import { allSteps } from '../definition/steps.js';
import type { Step } from '../definition/types.js';
import { workflowNotFound } from './crud.js';
import { describeStep } from './describe.js';

export interface StepCounts {
  /** the step's id (the user's, or its place: `2`, `3.then.1`) */
  id: string;
  kind: Step['kind'];
  /** what the step does, in one line: `wait 1h`, `email "You left something"` */
  does: string;
  /** active runs at this step now (waiting, or sending) */
  activeHere: number;
  /** what the step did, from the run log: `waited`, `email sent`, `email skipped`, `branch then`, `split: A`, … */
  outcomes: { outcome: string; n: number }[];
  /** its emails or webhooks by status, skipped ones by reason */
  sends: { channel: string; status: string; reason: string | null; n: number }[];
}

export interface WorkflowStepCounts {
  workflow: string;
  version: number;
  /** runs by status: active, completed, exited, converted, cancelled, failed */
  runs: { status: string; n: number }[];
  /** active runs not at a step of the current version (on an older version's step, or starting) */
  activeElsewhere: number;
  /** the current version's steps in document order, nested ones included; counts cover every version's runs */
  steps: StepCounts[];
}

/**
 * Per-step counts of a workflow (the dashboard's workflow page, `GET /v1/workflows/{name}/steps`): how
 * many runs are at each step now, what each step did and what it sent or skipped (with reasons).
 * Counts are over every run of the workflow; steps are matched by id across versions.
 * Errors: workflow_not_found (404).
 */
export async function workflowStepCounts(store: Store, name: string): Promise<WorkflowStepCounts> {
  const w = await findWorkflow(store, name);
  if (!w) throw workflowNotFound(name);
  const v = await findVersion(store, w.workflow_id, w.version);
  const steps = v ? allSteps(readObject(JSON.parse(v.definition), name).definition.steps) : [];
  const [runs, here, outcomes, sends] = await Promise.all([
    runStatusCounts(store, w.workflow_id),
    activeRunsByStep(store, w.workflow_id),
    stepOutcomes(store, w.workflow_id),
    sendsByStep(store, w.workflow_id),
  ]);
  const ids = new Set(steps.map((s) => s.id));
  return {
    workflow: w.name,
    version: w.version,
    runs,
    activeElsewhere: here.filter((h) => h.step_id === null || !ids.has(h.step_id)).reduce((t, h) => t + h.n, 0),
    steps: steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      does: describeStep(s),
      activeHere: here.find((h) => h.step_id === s.id)?.n ?? 0,
      outcomes: outcomes.filter((o) => o.step_id === s.id).map(({ outcome, n }) => ({ outcome, n })),
      sends: sends.filter((x) => x.step_id === s.id).map(({ channel, status, reason, n }) => ({ channel, status, reason, n })),
    })),
  };
}
