import type { Queryable } from '../../db.js';

/** The end_reason of a run ended because the merge left the person with two runs of one workflow (and key). */
export const MERGED_DUPLICATE = 'merged_duplicate';

/**
 * Moves the workflow runs and sends of absorbed customers to their survivors (`a[i]` → `s[i]`), in the
 * merge's transaction, keeping docs/workflows.md's rule that at most one run per customer (and key) is
 * under way: where the merge leaves the person with two or more active runs of one workflow and key, the
 * earliest entered (then the smallest run id) carries on and the others end `cancelled` with end_reason
 * `merged_duplicate: run <id> is under way`; their sends still pending become `skipped` with reason
 * `merged_duplicate`, so the person gets each message once.
 *
 * Each row is written by one statement (a moved run that is also cancelled is moved and cancelled at
 * once): a second update of an indexed column of one row in one DuckDB transaction is what to avoid.
 */
export async function moveRunsKeepingOne(db: Queryable, a: readonly string[], s: readonly string[], at: Date): Promise<void> {
  const mapping = '(SELECT unnest($1::VARCHAR[]) AS a, unnest($2::VARCHAR[]) AS s) m';
  const duplicates = await db.all<{ run_id: string; kept: string; person: string }>(
    `SELECT run_id, kept, person FROM (
       SELECT r.run_id, coalesce(m.s, r.customer_id) AS person,
         first_value(r.run_id) OVER (PARTITION BY coalesce(m.s, r.customer_id), r.workflow_id, r.run_key ORDER BY r.entered_at, r.run_id) AS kept
       FROM workflow_runs r LEFT JOIN ${mapping} ON r.customer_id = m.a
       WHERE r.status = 'active' AND (m.a IS NOT NULL OR r.customer_id IN (SELECT unnest($2::VARCHAR[])))
     ) WHERE run_id <> kept`,
    [a, s],
  );
  const ended = duplicates.map((d) => d.run_id);
  // What stays as it was apart from its customer moves; then what ends here, moved and ended at once.
  await db.run(
    `UPDATE workflow_sends SET customer_id = m.s FROM ${mapping}
     WHERE workflow_sends.customer_id = m.a AND NOT (workflow_sends.status = 'pending' AND workflow_sends.run_id IN (SELECT unnest($3::VARCHAR[])))`,
    [a, s, ended],
  );
  await db.run(
    `UPDATE workflow_runs SET customer_id = m.s FROM ${mapping}
     WHERE workflow_runs.customer_id = m.a AND workflow_runs.run_id NOT IN (SELECT unnest($3::VARCHAR[]))`,
    [a, s, ended],
  );
  if (duplicates.length === 0) return;
  const ends = [ended, duplicates.map((d) => d.person), duplicates.map((d) => `${MERGED_DUPLICATE}: run ${d.kept} is under way`), at];
  const c = '(SELECT unnest($1::VARCHAR[]) AS run_id, unnest($2::VARCHAR[]) AS person, unnest($3::VARCHAR[]) AS reason) c';
  await db.run(
    `UPDATE workflow_sends SET customer_id = c.person, status = 'skipped', reason = '${MERGED_DUPLICATE}', updated_at = $4
     FROM ${c} WHERE workflow_sends.run_id = c.run_id AND workflow_sends.status = 'pending'`,
    ends,
  );
  await db.run(
    `UPDATE workflow_runs SET customer_id = c.person, status = 'cancelled', phase = NULL, wake_at = NULL, wait_event = NULL,
       ended_at = $4, end_reason = c.reason, updated_at = $4
     FROM ${c} WHERE workflow_runs.run_id = c.run_id`,
    ends,
  );
}
