import type { Queryable } from '../../db.js';

/** How a workflow's runs stand: one row per status. */
export async function runStatusCounts(db: Queryable, workflowId: string): Promise<{ status: string; n: number }[]> {
  return db.all('SELECT status, count(*) AS n FROM workflow_runs WHERE workflow_id = $1 GROUP BY status ORDER BY n DESC, status', [workflowId]);
}

/** Active runs per step they are at (their position; null: about to start). */
export async function activeRunsByStep(db: Queryable, workflowId: string): Promise<{ step_id: string | null; n: number }[]> {
  return db.all("SELECT position AS step_id, count(*) AS n FROM workflow_runs WHERE workflow_id = $1 AND status = 'active' GROUP BY position", [workflowId]);
}

/**
 * What each step did, from the run log: one row per (step, outcome). The outcome is the logged action,
 * with a branch's side (`branch then`, `branch else`) and a split's variant (`split: A`) spelled out.
 */
export async function stepOutcomes(db: Queryable, workflowId: string): Promise<{ step_id: string; outcome: string; n: number }[]> {
  return db.all(
    `SELECT l.step_id,
       CASE l.action WHEN 'branch' THEN 'branch ' || split_part(l.detail, ':', 1) WHEN 'split' THEN 'split: ' || l.detail ELSE l.action END AS outcome,
       count(*) AS n
     FROM workflow_run_log l JOIN workflow_runs r ON r.run_id = l.run_id
     WHERE r.workflow_id = $1 AND l.step_id IS NOT NULL
     GROUP BY ALL ORDER BY l.step_id, n DESC, outcome`,
    [workflowId],
  );
}

/** Emails and webhooks per step by status and, for skipped ones, reason. */
export async function sendsByStep(db: Queryable, workflowId: string): Promise<{ step_id: string; channel: string; status: string; reason: string | null; n: number }[]> {
  return db.all(
    `SELECT step_id, channel, status, reason, count(*) AS n FROM workflow_sends WHERE workflow_id = $1
     GROUP BY ALL ORDER BY step_id, n DESC, status, reason`,
    [workflowId],
  );
}
