import type { Queryable } from '../../db.js';

export interface WorkflowRow {
  workflow_id: string;
  name: string;
  status: 'active' | 'paused';
  version: number;
  template: string | null;
  active_since: Date;
  created_at: Date;
  updated_at: Date;
}

export interface VersionRow {
  workflow_id: string;
  version: number;
  /** JSON text of the raw document */
  definition: string;
  source: string;
  format: string;
  created_at: Date;
}

const WORKFLOW_COLUMNS = 'workflow_id, name, status, version, template, active_since, created_at, updated_at';

export async function insertWorkflow(db: Queryable, w: WorkflowRow): Promise<void> {
  await db.run(`INSERT INTO workflows (${WORKFLOW_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
    w.workflow_id,
    w.name,
    w.status,
    w.version,
    w.template,
    w.active_since,
    w.created_at,
    w.updated_at,
  ]);
}

export async function insertVersion(db: Queryable, v: VersionRow): Promise<void> {
  await db.run('INSERT INTO workflow_versions (workflow_id, version, definition, source, format, created_at) VALUES ($1, $2, $3::JSON, $4, $5, $6)', [
    v.workflow_id,
    v.version,
    v.definition,
    v.source,
    v.format,
    v.created_at,
  ]);
}

export async function findWorkflow(db: Queryable, name: string): Promise<WorkflowRow | undefined> {
  return db.one<WorkflowRow>(`SELECT ${WORKFLOW_COLUMNS} FROM workflows WHERE name = $1`, [name]);
}

export async function allWorkflows(db: Queryable): Promise<WorkflowRow[]> {
  return db.all<WorkflowRow>(`SELECT ${WORKFLOW_COLUMNS} FROM workflows ORDER BY name`);
}

export async function findVersion(db: Queryable, workflowId: string, version: number): Promise<VersionRow | undefined> {
  return db.one<VersionRow>(
    'SELECT workflow_id, version, definition::VARCHAR AS definition, source, format, created_at FROM workflow_versions WHERE workflow_id = $1 AND version = $2',
    [workflowId, version],
  );
}

export async function listVersions(db: Queryable, workflowId: string): Promise<{ version: number; created_at: Date }[]> {
  return db.all('SELECT version, created_at FROM workflow_versions WHERE workflow_id = $1 ORDER BY version', [workflowId]);
}

export async function setWorkflowVersion(db: Queryable, workflowId: string, version: number, now: Date): Promise<void> {
  await db.run('UPDATE workflows SET version = $2, updated_at = $3 WHERE workflow_id = $1', [workflowId, version, now]);
}

export async function setWorkflowStatus(db: Queryable, workflowId: string, status: 'active' | 'paused', now: Date, activeSince?: Date): Promise<void> {
  await db.run('UPDATE workflows SET status = $2, updated_at = $3, active_since = coalesce($4::TIMESTAMP, active_since) WHERE workflow_id = $1', [
    workflowId,
    status,
    now,
    activeSince ?? null,
  ]);
}

/** Removes a workflow and its versions; its runs, sends and assignments stay as history. */
export async function deleteWorkflowRows(db: Queryable, workflowId: string): Promise<void> {
  await db.run('DELETE FROM workflow_versions WHERE workflow_id = $1', [workflowId]);
  await db.run('DELETE FROM workflows WHERE workflow_id = $1', [workflowId]);
}

export interface WorkflowCounts {
  workflow_id: string;
  active: number;
  total: number;
  converted: number;
  sent: number;
  skipped: number;
}

/** Runs (active, total, converted) and messages (sent, skipped) per workflow. */
export async function workflowCounts(db: Queryable): Promise<Map<string, WorkflowCounts>> {
  const rows = await db.all<WorkflowCounts>(
    `SELECT w.workflow_id,
       coalesce(r.active, 0) AS active, coalesce(r.total, 0) AS total, coalesce(r.converted, 0) AS converted,
       coalesce(s.sent, 0) AS sent, coalesce(s.skipped, 0) AS skipped
     FROM workflows w
     LEFT JOIN (SELECT workflow_id, count(*) FILTER (WHERE status = 'active') AS active, count(*) AS total,
                  count(*) FILTER (WHERE status = 'converted') AS converted
                FROM workflow_runs GROUP BY workflow_id) r USING (workflow_id)
     LEFT JOIN (SELECT workflow_id, count(*) FILTER (WHERE status = 'sent') AS sent, count(*) FILTER (WHERE status = 'skipped') AS skipped
                FROM workflow_sends GROUP BY workflow_id) s USING (workflow_id)`,
  );
  return new Map(rows.map((r) => [r.workflow_id, r]));
}
