import type { Queryable } from '../../db.js';
import { survivorChainSql } from './customers.js';
import { RUN_STEP_KINDS, packRecords, type RunStepKey } from './pack.js';

/** One email or webhook of a run's step: pending (not acknowledged yet), sent, failed or skipped. */
export interface SendRow extends RunStepKey {
  channel: 'email' | 'webhook';
  marketing: boolean;
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  reason: string | null;
  recipient: string | null;
  subject: string | null;
  idempotency_key: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

const COLUMNS = [
  'run_id', 'workflow_id', 'workflow_name', 'version', 'step_id', 'customer_id', 'channel', 'marketing', 'status', 'reason', 'recipient',
  'subject', 'idempotency_key', 'attempts', 'last_error', 'created_at', 'updated_at', 'sent_at',
].join(', ');

export async function insertSends(db: Queryable, rows: readonly SendRow[]): Promise<void> {
  if (rows.length === 0) return;
  const q = packRecords(rows, {
    ...RUN_STEP_KINDS,
    channel: 'text',
    marketing: 'bool', status: 'text', reason: 'text', recipient: 'text', subject: 'text', idempotency_key: 'text', attempts: 'number',
    last_error: 'text', created_at: 'time', updated_at: 'time', sent_at: 'time',
  });
  // A send already recorded for (run, step) is kept: it is what makes each step send at most once.
  await db.run(
    `INSERT INTO workflow_sends (${COLUMNS})
     SELECT run_id, workflow_id, workflow_name, version::INTEGER, step_id, customer_id, channel, marketing, status, reason, recipient, subject,
       idempotency_key, attempts::INTEGER, last_error, created_at, updated_at, sent_at FROM (${q.select})
     ON CONFLICT (run_id, step_id) DO NOTHING`,
    q.params,
  );
}

export async function findSend(db: Queryable, runId: string, stepId: string): Promise<SendRow | undefined> {
  return db.one<SendRow>(`SELECT ${COLUMNS} FROM workflow_sends WHERE run_id = $1 AND step_id = $2`, [runId, stepId]);
}

/**
 * findSend and survivorOf(customerId) in one statement, for a send about to be attempted: the send row
 * of (run, step), or undefined; and the customer holding `customerId` now (following merges exactly as
 * survivorsOf does, survivorChainSql), or undefined when no one holds them (erased). One read of one
 * snapshot, so nothing can commit between the two answers (two statements could only see less).
 */
export async function findSendHeld(
  db: Queryable,
  runId: string,
  stepId: string,
  customerId: string,
): Promise<{ send: SendRow | undefined; heldBy: string | undefined }> {
  const row = await db.one<SendRow & { held_by: string | null; found: boolean }>(
    `${survivorChainSql('= $3')}
     SELECT ${COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')}, s.run_id IS NOT NULL AS found,
       (SELECT customer_id FROM chain WHERE merged_into IS NULL LIMIT 1) AS held_by
     FROM (SELECT 1) one LEFT JOIN workflow_sends s ON s.run_id = $1 AND s.step_id = $2`,
    [runId, stepId, customerId],
  );
  const { held_by: heldBy, found, ...send } = row!;
  return { send: found ? (send as SendRow) : undefined, heldBy: heldBy ?? undefined };
}

/**
 * Counts an attempt as started, committed before the email or request leaves: after a crash, attempts
 * above the recorded outcomes show a send that was in flight (and is retried with the same key).
 * Returns the attempts counted so far, this one included (0 when the send row does not exist). One
 * statement (UPDATE … RETURNING): the count returned is the one this UPDATE wrote, read in the same
 * statement rather than by a second round trip per send.
 */
export async function startAttempt(db: Queryable, runId: string, stepId: string, at: Date): Promise<number> {
  const r = await db.one<{ attempts: number }>(
    'UPDATE workflow_sends SET attempts = attempts + 1, updated_at = $3 WHERE run_id = $1 AND step_id = $2 RETURNING attempts',
    [runId, stepId, at],
  );
  return r?.attempts ?? 0;
}

/** Records the outcome of the attempt under way (a skip found at sending time with its reason). */
export async function recordAttempt(
  db: Queryable,
  s: { runId: string; stepId: string; status: SendRow['status']; error: string | null; subject?: string | null; reason?: string; at: Date },
): Promise<void> {
  await db.run(
    `UPDATE workflow_sends SET status = $3, last_error = $4, subject = coalesce($5, subject), updated_at = $6,
       sent_at = CASE WHEN $3 = 'sent' THEN $6 ELSE sent_at END, reason = coalesce($7, reason)
     WHERE run_id = $1 AND step_id = $2`,
    [s.runId, s.stepId, s.status, s.error, s.subject ?? null, s.at, s.reason ?? null],
  );
}

/** Marketing emails sent or under way to these customers since `since`, per customer. */
export async function marketingEmailsSince(db: Queryable, customerIds: readonly string[], since: Date): Promise<Map<string, number>> {
  if (customerIds.length === 0) return new Map();
  const rows = await db.all<{ customer_id: string; n: number }>(
    `SELECT customer_id, count(*) AS n FROM workflow_sends
     WHERE channel = 'email' AND marketing AND status IN ('sent', 'pending') AND created_at > $2
       AND customer_id IN (SELECT unnest($1::VARCHAR[]))
     GROUP BY customer_id`,
    [customerIds, since],
  );
  return new Map(rows.map((r) => [r.customer_id, r.n]));
}

export interface SendFilter {
  workflowId?: string;
  runId?: string;
  status?: string;
  limit: number;
}

export async function listSends(db: Queryable, f: SendFilter): Promise<SendRow[]> {
  return db.all<SendRow>(
    `SELECT ${COLUMNS} FROM workflow_sends
     WHERE ($1::VARCHAR IS NULL OR workflow_id = $1) AND ($2::VARCHAR IS NULL OR run_id = $2) AND ($3::VARCHAR IS NULL OR status = $3)
     ORDER BY created_at DESC, run_id, step_id LIMIT $4`,
    [f.workflowId ?? null, f.runId ?? null, f.status ?? null, f.limit],
  );
}

/** Skip reasons and their counts for a workflow. */
export async function skipReasons(db: Queryable, workflowId: string): Promise<{ reason: string; n: number }[]> {
  return db.all(
    "SELECT reason, count(*) AS n FROM workflow_sends WHERE workflow_id = $1 AND status = 'skipped' GROUP BY reason ORDER BY n DESC, reason",
    [workflowId],
  );
}
