import type { Queryable } from '../../store/db.js';
import { survivorOf } from '../../store/queries/workflows/customers.js';
import type { RunRow } from '../../store/queries/workflows/runs.js';

/** What started a run, kept with it: templates read the triggering event's properties from here. */
export type TriggerInfo =
  | { readonly kind: 'event'; readonly event: string; readonly messageId: string; readonly at: string; readonly properties: Record<string, unknown> }
  | { readonly kind: 'segment'; readonly segment: string; readonly change: 'entered' | 'exited'; readonly at: string }
  | { readonly kind: 'date'; readonly date: string }
  | { readonly kind: 'schedule'; readonly segment: string; readonly at: string };

export interface RunContext {
  readonly trigger: TriggerInfo;
  /** in the workflow's holdout: every email and webhook step is skipped (reason holdout) */
  readonly holdout: boolean;
}

export type RunStatus = 'active' | 'completed' | 'exited' | 'converted' | 'cancelled' | 'failed';
export type RunPhase = 'ready' | 'wait' | 'send';

/** A run while the engine works on it: the stored row with its context parsed; mutable in place. */
export interface Run {
  readonly runId: string;
  readonly workflowId: string;
  readonly workflowName: string;
  readonly version: number;
  customerId: string;
  readonly runKey: string;
  readonly triggerId: string;
  readonly context: RunContext;
  status: RunStatus;
  phase: RunPhase | null;
  position: string | null;
  wakeAt: Date | null;
  waitEvent: string | null;
  stepStartedAt: Date | null;
  readonly enteredAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  convertedAt: Date | null;
}

export function runFromRow(r: RunRow): Run {
  return {
    runId: r.run_id,
    workflowId: r.workflow_id,
    workflowName: r.workflow_name,
    version: r.version,
    customerId: r.customer_id,
    runKey: r.run_key,
    triggerId: r.trigger_id,
    context: JSON.parse(r.context) as RunContext,
    status: r.status as RunStatus,
    phase: r.phase as RunPhase | null,
    position: r.position,
    wakeAt: r.wake_at,
    waitEvent: r.wait_event,
    stepStartedAt: r.step_started_at,
    enteredAt: r.entered_at,
    updatedAt: r.updated_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    convertedAt: r.converted_at,
  };
}

export function rowFromRun(r: Run): RunRow {
  return {
    run_id: r.runId,
    workflow_id: r.workflowId,
    workflow_name: r.workflowName,
    version: r.version,
    customer_id: r.customerId,
    run_key: r.runKey,
    trigger_id: r.triggerId,
    context: JSON.stringify(r.context),
    status: r.status,
    phase: r.phase,
    position: r.position,
    wake_at: r.wakeAt,
    wait_event: r.waitEvent,
    step_started_at: r.stepStartedAt,
    entered_at: r.enteredAt,
    updated_at: r.updatedAt,
    ended_at: r.endedAt,
    end_reason: r.endReason,
    converted_at: r.convertedAt,
  };
}

/** Ends a run: no position, no timer. */
export function endRun(run: Run, status: Exclude<RunStatus, 'active'>, reason: string, at: Date): void {
  run.status = status;
  run.phase = null;
  run.position = null;
  run.wakeAt = null;
  run.waitEvent = null;
  run.endedAt = at;
  run.endReason = reason;
  run.updatedAt = at;
  if (status === 'converted') run.convertedAt = at;
}

/** The columns every row about one step of one run carries (sends, assignments). */
export function runStep(run: Run, stepId: string) {
  return {
    run_id: run.runId,
    step_id: stepId,
    workflow_id: run.workflowId,
    workflow_name: run.workflowName,
    version: run.version,
    customer_id: run.customerId,
  };
}

/**
 * Points the run at the customer holding its person now (survivorOf): a merge committed since the run
 * was read moved its row, not this copy in memory. False when no one is held (erased since), and the run
 * is left as it was: nothing is then sent, not even a transactional email (docs/privacy.md).
 */
export async function followRun(db: Queryable, run: Run): Promise<boolean> {
  const survivor = await survivorOf(db, run.customerId);
  if (survivor === undefined) return false;
  run.customerId = survivor;
  return true;
}
