import { SegmintError } from '../../domain/errors.js';
import { resolveCustomer } from '../../profiles/resolve-customer.js';
import type { Store } from '../../store/db.js';
import { assignmentsOf, type AssignmentRow } from '../../store/queries/workflows/bookkeeping.js';
import { findWorkflow } from '../../store/queries/workflows/definitions.js';
import { findRun, listRuns, runLog, type LogRow, type RunRow } from '../../store/queries/workflows/runs.js';
import { listSends, type SendRow } from '../../store/queries/workflows/sends.js';
import { workflowNotFound } from './crud.js';
import { wholeNumberIn } from '../../domain/whole-number.js';

export interface RunView {
  id: string;
  workflow: string;
  version: number;
  customerId: string;
  key: string | null;
  status: string;
  /** what the run is doing now: `wait until …`, `send pending`, or how it ended */
  state: string;
  position: string | null;
  wakeAt: Date | null;
  enteredAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  convertedAt: Date | null;
  holdout: boolean;
  trigger: unknown;
}

export interface RunDetail extends RunView {
  log: Omit<LogRow, 'run_id'>[];
  sends: SendRow[];
  assignments: AssignmentRow[];
}

const STATUSES = ['active', 'completed', 'exited', 'converted', 'cancelled', 'failed'];

/** The most runs one listing holds (`--limit`, `limit`): more is refused, not cut. */
export const RUNS_PAGE_MAX = 10_000;

/** Runs of a workflow (or of all), newest first, optionally by status or customer (any identifier). */
export async function workflowRuns(
  store: Store,
  opts: { workflow?: string; status?: string; customer?: string; limit?: number } = {},
): Promise<RunView[]> {
  let workflowId: string | undefined;
  if (opts.workflow !== undefined) {
    const w = await findWorkflow(store, opts.workflow);
    if (!w) throw workflowNotFound(opts.workflow);
    workflowId = w.workflow_id;
  }
  if (opts.status !== undefined && !STATUSES.includes(opts.status)) {
    throw new SegmintError('invalid_option', `status must be one of ${STATUSES.join(', ')}, not "${opts.status}".`, { field: 'status' });
  }
  const customerId = opts.customer === undefined ? undefined : await resolveCustomer(store, opts.customer);
  const rows = await listRuns(store, {
    ...(workflowId ? { workflowId } : {}),
    ...(opts.status ? { status: opts.status } : {}),
    ...(customerId ? { customerId } : {}),
    limit: wholeNumberIn(opts.limit ?? 50, 'limit', 1, RUNS_PAGE_MAX),
  });
  return rows.map(view);
}

/** One run: where it is, every step it took, its sends and its split/holdout assignments. */
export async function runDetail(store: Store, runId: string): Promise<RunDetail> {
  const r = await findRun(store, runId);
  if (!r) throw new SegmintError('run_not_found', `There is no workflow run "${runId}"; \`segmint workflows runs NAME\` lists them.`, { runId }, 404);
  return {
    ...view(r),
    log: (await runLog(store, runId)).map(({ run_id: _, ...rest }) => rest),
    sends: await listSends(store, { runId, limit: 1000 }),
    assignments: await assignmentsOf(store, runId),
  };
}

function view(r: RunRow): RunView {
  const context = JSON.parse(r.context) as { trigger: unknown; holdout: boolean };
  return {
    id: r.run_id,
    workflow: r.workflow_name,
    version: r.version,
    customerId: r.customer_id,
    key: r.run_key === '' ? null : r.run_key,
    status: r.status,
    state: stateOf(r),
    position: r.position,
    wakeAt: r.wake_at,
    enteredAt: r.entered_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    convertedAt: r.converted_at,
    holdout: context.holdout,
    trigger: context.trigger,
  };
}

function stateOf(r: RunRow): string {
  if (r.status !== 'active') return `${r.status}${r.end_reason && r.end_reason !== r.status ? ` (${r.end_reason})` : ''}`;
  const at = r.wake_at?.toISOString() ?? '?';
  if (r.phase === 'wait') return r.wait_event ? `waiting for ${r.wait_event} until ${at}` : `waiting until ${at}`;
  if (r.phase === 'send') return `sending (next attempt ${at})`;
  return `ready at ${at}`;
}
