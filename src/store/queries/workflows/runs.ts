import type { Queryable } from '../../db.js';
import { packRows } from '../identity-columns.js';
import { packRecords } from './pack.js';

/** A run as stored (docs/workflows.md, "Runs"). context is JSON text. */
export interface RunRow {
  run_id: string;
  workflow_id: string;
  workflow_name: string;
  version: number;
  customer_id: string;
  run_key: string;
  trigger_id: string;
  context: string;
  status: string;
  phase: string | null;
  position: string | null;
  wake_at: Date | null;
  wait_event: string | null;
  step_started_at: Date | null;
  entered_at: Date;
  updated_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  converted_at: Date | null;
}

const COLUMNS = [
  'run_id', 'workflow_id', 'workflow_name', 'version', 'customer_id', 'run_key', 'trigger_id', 'context', 'status', 'phase',
  'position', 'wake_at', 'wait_event', 'step_started_at', 'entered_at', 'updated_at', 'ended_at', 'end_reason', 'converted_at',
] as const;
const SELECT = COLUMNS.map((c) => (c === 'context' ? 'context::VARCHAR AS context' : c)).join(', ');

const RUN_KINDS = {
  run_id: 'text', workflow_id: 'text', workflow_name: 'text', version: 'number', customer_id: 'text', run_key: 'text', trigger_id: 'text',
  context: 'json', status: 'text', phase: 'text', position: 'text', wake_at: 'time', wait_event: 'text', step_started_at: 'time',
  entered_at: 'time', updated_at: 'time', ended_at: 'time', end_reason: 'text', converted_at: 'time',
} as const;

const packRuns = (rows: readonly RunRow[]) => packRecords(rows, RUN_KINDS);

export async function insertRuns(db: Queryable, rows: readonly RunRow[]): Promise<void> {
  if (rows.length === 0) return;
  const q = packRuns(rows);
  await db.run(
    `INSERT INTO workflow_runs (${COLUMNS.join(', ')})
     SELECT run_id, workflow_id, workflow_name, version::INTEGER, customer_id, run_key, trigger_id, context, status, phase, position, wake_at,
       wait_event, step_started_at, entered_at, updated_at, ended_at, end_reason, converted_at FROM (${q.select})`,
    q.params,
  );
}

/** Writes the moving parts of runs (status, position, timers) in one statement. */
export async function updateRuns(db: Queryable, rows: readonly RunRow[]): Promise<void> {
  if (rows.length === 0) return;
  const q = packRuns(rows);
  await db.run(
    `UPDATE workflow_runs SET status = p.status, phase = p.phase, position = p.position, wake_at = p.wake_at, wait_event = p.wait_event,
       step_started_at = p.step_started_at, updated_at = p.updated_at, ended_at = p.ended_at, end_reason = p.end_reason,
       converted_at = p.converted_at
     FROM (${q.select}) p WHERE workflow_runs.run_id = p.run_id`,
    q.params,
  );
}

/** Active runs due at `now` (their wake_at has come), of workflows that are not paused, oldest first. */
export async function dueRuns(db: Queryable, now: Date, limit: number): Promise<RunRow[]> {
  return db.all<RunRow>(
    `SELECT ${SELECT} FROM workflow_runs
     WHERE status = 'active' AND wake_at <= $1
       AND workflow_id IN (SELECT workflow_id FROM workflows WHERE status = 'active')
     ORDER BY wake_at, run_id LIMIT $2`,
    [now, limit],
  );
}

/** The earliest wake_at of an active run of a workflow that is not paused, or null. */
export async function nextWake(db: Queryable): Promise<Date | null> {
  const r = await db.one<{ t: Date | null }>(
    `SELECT min(wake_at) AS t FROM workflow_runs
     WHERE status = 'active' AND workflow_id IN (SELECT workflow_id FROM workflows WHERE status = 'active')`,
  );
  return r?.t ?? null;
}

export async function findRun(db: Queryable, runId: string): Promise<RunRow | undefined> {
  return db.one<RunRow>(`SELECT ${SELECT} FROM workflow_runs WHERE run_id = $1`, [runId]);
}

/** Active runs of these customers (optionally only those waiting for one of `events`). */
export async function activeRunsOf(db: Queryable, customerIds: readonly string[], waitingFor?: readonly string[]): Promise<RunRow[]> {
  if (customerIds.length === 0) return [];
  return db.all<RunRow>(
    `SELECT ${SELECT} FROM workflow_runs
     WHERE status = 'active' AND customer_id IN (SELECT unnest($1::VARCHAR[]))
       AND ($2::VARCHAR[] IS NULL OR (phase = 'wait' AND wait_event IN (SELECT unnest($2::VARCHAR[]))))
     ORDER BY entered_at, run_id`,
    [customerIds, waitingFor ?? null],
  );
}

/** Runs of a workflow for these customers and keys that re-entry rules look at: the latest per pair. */
export async function latestRuns(
  db: Queryable,
  workflowId: string,
  pairs: readonly { customerId: string; key: string }[],
): Promise<Map<string, { status: string; entered_at: Date; ever: number }>> {
  if (pairs.length === 0) return new Map();
  const q = packRows([
    { name: 'c', type: 'text', values: pairs.map((p) => p.customerId) },
    { name: 'k', type: 'text', values: pairs.map((p) => p.key) },
  ], 2);
  const rows = await db.all<{ customer_id: string; run_key: string; status: string; entered_at: Date; ever: number; active: number }>(
    `SELECT r.customer_id, r.run_key, arg_max(r.status, r.entered_at) AS status, max(r.entered_at) AS entered_at, count(*) AS ever,
       count(*) FILTER (WHERE r.status = 'active') AS active
     FROM workflow_runs r JOIN (SELECT DISTINCT c, k FROM (${q.select})) p ON r.customer_id = p.c AND r.run_key = p.k
     WHERE r.workflow_id = $1 GROUP BY r.customer_id, r.run_key`,
    [workflowId, ...q.params],
  );
  return new Map(rows.map((r) => [`${r.customer_id}\u0000${r.run_key}`, { status: r.active > 0 ? 'active' : r.status, entered_at: r.entered_at, ever: r.ever }]));
}

export interface RunFilter {
  workflowId?: string;
  status?: string;
  customerId?: string;
  limit: number;
}

export async function listRuns(db: Queryable, f: RunFilter): Promise<RunRow[]> {
  return db.all<RunRow>(
    `SELECT ${SELECT} FROM workflow_runs
     WHERE ($1::VARCHAR IS NULL OR workflow_id = $1) AND ($2::VARCHAR IS NULL OR status = $2) AND ($3::VARCHAR IS NULL OR customer_id = $3)
     ORDER BY entered_at DESC, run_id LIMIT $4`,
    [f.workflowId ?? null, f.status ?? null, f.customerId ?? null, f.limit],
  );
}

/** Ends every active run of a workflow (deleted): status cancelled. */
export async function cancelRuns(db: Queryable, workflowId: string, now: Date, reason: string): Promise<number> {
  const r = await db.one<{ n: number }>("SELECT count(*) AS n FROM workflow_runs WHERE workflow_id = $1 AND status = 'active'", [workflowId]);
  await db.run(
    `UPDATE workflow_runs SET status = 'cancelled', phase = NULL, wake_at = NULL, wait_event = NULL, ended_at = $2, end_reason = $3, updated_at = $2
     WHERE workflow_id = $1 AND status = 'active'`,
    [workflowId, now, reason],
  );
  return r?.n ?? 0;
}

export interface LogRow {
  run_id: string;
  logged_at: Date;
  step_id: string | null;
  action: string;
  detail: string | null;
}

export async function insertLog(db: Queryable, rows: readonly LogRow[]): Promise<void> {
  if (rows.length === 0) return;
  const q = packRecords(rows, { run_id: 'text', logged_at: 'time', step_id: 'text', action: 'text', detail: 'text' });
  await db.run(`INSERT INTO workflow_run_log (run_id, logged_at, step_id, action, detail) SELECT run_id, logged_at, step_id, action, detail FROM (${q.select})`, q.params);
}

export async function runLog(db: Queryable, runId: string): Promise<LogRow[]> {
  return db.all<LogRow>('SELECT run_id, logged_at, step_id, action, detail FROM workflow_run_log WHERE run_id = $1 ORDER BY logged_at, rowid', [runId]);
}
