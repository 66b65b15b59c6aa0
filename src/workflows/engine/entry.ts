import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../store/db.js';
import { survivorsOf } from '../../store/queries/workflows/customers.js';
import { seenTriggers } from '../../store/queries/workflows/bookkeeping.js';
import { latestRuns } from '../../store/queries/workflows/runs.js';
import { before } from '../definition/duration.js';
import { ENTRY_STEP, HOLDOUT, TREATMENT, inHoldout } from './assign.js';
import type { LoadedWorkflow } from './catalog.js';
import type { Changes } from './changes.js';
import { runStep, type Run, type TriggerInfo } from './run.js';

/** One customer a trigger would start a run for. */
export interface Entrant {
  readonly customerId: string;
  /** the run's key ('' when the workflow is not keyed) */
  readonly key: string;
  /** unique per workflow: the same trigger seen twice (a replay after a crash) is decided once */
  readonly triggerId: string;
  /** when the trigger happened */
  readonly at: Date;
  readonly trigger: TriggerInfo;
}

/**
 * Starts runs for entrants of one workflow, applying the rules of entry in order: a trigger already
 * decided is ignored; one from before the workflow was active (created or resumed) is not acted on; a
 * customer (and key) with a run under way gets no second one; then the re-entry rule (once ever, once
 * per period, every time). Every decision is recorded in workflow_triggers. Holdout membership is
 * decided at entry and recorded as an assignment. Returns the runs started.
 */
export async function enterRuns(db: Queryable, wf: LoadedWorkflow, entrants: readonly Entrant[], now: Date, ch: Changes): Promise<Run[]> {
  if (wf.status !== 'active' || entrants.length === 0) return [];
  const seen = await seenTriggers(db, entrants.map((e) => ({ workflowId: wf.id, triggerId: e.triggerId })));
  const fresh = await heldEntrants(db, entrants.filter((e) => !seen.has(`${wf.id}\u0000${e.triggerId}`)));
  const latest = await latestRuns(db, wf.id, fresh.map((e) => ({ customerId: e.customerId, key: e.key })));
  const def = wf.program.definition;
  const started: Run[] = [];
  const decided = new Set<string>();
  for (const e of fresh) {
    if (decided.has(e.triggerId)) continue;
    decided.add(e.triggerId);
    const pair = `${e.customerId}\u0000${e.key}`;
    // Runs started earlier in this same batch count as under way.
    const inBatch = [...ch.created.values()].find((r) => r.workflowId === wf.id && r.customerId === e.customerId && r.runKey === e.key);
    const prior = inBatch ? { status: 'active', entered_at: inBatch.enteredAt } : latest.get(pair);
    let outcome = 'started';
    if (e.at.getTime() < wf.activeSince.getTime()) outcome = 'before_workflow';
    else if (prior?.status === 'active') outcome = 'already_running';
    else if (prior && def.reentry.kind === 'once') outcome = 'reentry_once';
    else if (prior && def.reentry.kind === 'once_per' && prior.entered_at.getTime() > before(e.at, def.reentry.period).getTime()) outcome = 'reentry_period';
    const run = outcome === 'started' ? newRun(wf, e, now) : undefined;
    ch.triggers.push({ workflow_id: wf.id, trigger_id: e.triggerId, customer_id: e.customerId, triggered_at: e.at, outcome, run_id: run?.runId ?? null });
    if (!run) continue;
    ch.create(run);
    ch.note(run, now, null, 'entered', describeTrigger(e.trigger) + (run.context.holdout ? ' (holdout)' : ''));
    if (def.holdout > 0) {
      ch.assignments.push({ ...runStep(run, ENTRY_STEP), variant: run.context.holdout ? HOLDOUT : TREATMENT, assigned_at: now });
    }
    started.push(run);
  }
  return started;
}

/**
 * The entrants as the store holds them now: a trigger seen for a customer merged away since (a segment
 * change queued before the merge committed) enters the survivor, whose runs the re-entry rules then
 * look at; one for a customer no longer held (erased) enters no one and is not recorded.
 */
async function heldEntrants(db: Queryable, entrants: readonly Entrant[]): Promise<Entrant[]> {
  if (entrants.length === 0) return [];
  const held = await survivorsOf(db, entrants.map((e) => e.customerId));
  return entrants.flatMap((e) => {
    const customerId = held.get(e.customerId);
    if (customerId === undefined) return [];
    return [customerId === e.customerId ? e : { ...e, customerId }];
  });
}

function newRun(wf: LoadedWorkflow, e: Entrant, now: Date): Run {
  const at = e.at.getTime() > now.getTime() ? now : e.at;
  return {
    runId: randomUUID(),
    workflowId: wf.id,
    workflowName: wf.name,
    version: wf.version,
    customerId: e.customerId,
    runKey: e.key,
    triggerId: e.triggerId,
    context: { trigger: e.trigger, holdout: inHoldout(wf.id, e.customerId, wf.program.definition.holdout) },
    status: 'active',
    phase: 'ready',
    position: wf.program.first,
    wakeAt: now,
    waitEvent: null,
    stepStartedAt: now,
    enteredAt: at,
    updatedAt: now,
    endedAt: null,
    endReason: null,
    convertedAt: null,
  };
}

function describeTrigger(t: TriggerInfo): string {
  switch (t.kind) {
    case 'event':
      return `event ${t.event}`;
    case 'segment':
      return `${t.change} ${t.segment}`;
    case 'date':
      return `date ${t.date}`;
    case 'schedule':
      return `schedule ${t.segment} ${t.at}`;
  }
}
