import type { Queryable } from '../../db.js';
import { packRows } from '../identity-columns.js';
import { RUN_STEP_KINDS, packRecords, type RunStepKey } from './pack.js';

/** What the engine decided about one trigger of one workflow. */
export interface TriggerRow {
  workflow_id: string;
  trigger_id: string;
  customer_id: string | null;
  triggered_at: Date;
  /** started | already_running | reentry_once | reentry_period | before_workflow | paused */
  outcome: string;
  run_id: string | null;
}

/** Of these (workflow, trigger) pairs, the ones already decided. */
export async function seenTriggers(db: Queryable, pairs: readonly { workflowId: string; triggerId: string }[]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const q = packRows([
    { name: 'w', type: 'text', values: pairs.map((p) => p.workflowId) },
    { name: 't', type: 'text', values: pairs.map((p) => p.triggerId) },
  ]);
  const rows = await db.all<{ workflow_id: string; trigger_id: string }>(
    `SELECT t.workflow_id, t.trigger_id FROM workflow_triggers t JOIN (${q.select}) p ON t.workflow_id = p.w AND t.trigger_id = p.t`,
    q.params,
  );
  return new Set(rows.map((r) => `${r.workflow_id}\u0000${r.trigger_id}`));
}

export async function insertTriggers(db: Queryable, rows: readonly TriggerRow[]): Promise<void> {
  if (rows.length === 0) return;
  const q = packRecords(rows, { workflow_id: 'text', trigger_id: 'text', customer_id: 'text', triggered_at: 'time', outcome: 'text', run_id: 'text' });
  await db.run(
    `INSERT INTO workflow_triggers (workflow_id, trigger_id, customer_id, triggered_at, outcome, run_id)
     SELECT workflow_id, trigger_id, customer_id, triggered_at, outcome, run_id FROM (${q.select}) ON CONFLICT DO NOTHING`,
    q.params,
  );
}

/** Trigger outcomes other than started, counted, for `workflows show`. */
export async function triggerOutcomes(db: Queryable, workflowId: string): Promise<{ outcome: string; n: number }[]> {
  return db.all('SELECT outcome, count(*) AS n FROM workflow_triggers WHERE workflow_id = $1 GROUP BY outcome ORDER BY n DESC, outcome', [workflowId]);
}

/** A split or holdout decision (docs/workflows.md, "Assignments"). */
export interface AssignmentRow extends RunStepKey {
  variant: string;
  assigned_at: Date;
}

export async function insertAssignments(db: Queryable, rows: readonly AssignmentRow[]): Promise<void> {
  if (rows.length === 0) return;
  const q = packRecords(rows, { ...RUN_STEP_KINDS, variant: 'text', assigned_at: 'time' });
  await db.run(
    `INSERT INTO workflow_assignments (run_id, step_id, workflow_id, workflow_name, version, customer_id, variant, assigned_at)
     SELECT run_id, step_id, workflow_id, workflow_name, version::INTEGER, customer_id, variant, assigned_at FROM (${q.select})
     ON CONFLICT DO NOTHING`,
    q.params,
  );
}

export async function assignmentsOf(db: Queryable, runId: string): Promise<AssignmentRow[]> {
  return db.all<AssignmentRow>(
    'SELECT run_id, step_id, workflow_id, workflow_name, version, customer_id, variant, assigned_at FROM workflow_assignments WHERE run_id = $1 ORDER BY assigned_at',
    [runId],
  );
}

export async function readCursor(db: Queryable, name: string): Promise<string | undefined> {
  return (await db.one<{ value: string }>('SELECT value FROM workflow_cursors WHERE name = $1', [name]))?.value;
}

export async function writeCursor(db: Queryable, name: string, value: string, at: Date): Promise<void> {
  await db.run(
    'INSERT INTO workflow_cursors (name, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    [name, value, at],
  );
}
