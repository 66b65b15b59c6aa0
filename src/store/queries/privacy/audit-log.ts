import type { Queryable } from '../../db.js';

export interface AuditRow {
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  status: number | null;
  details: string | null;
}

export async function insertAudit(db: Queryable, e: { at: Date; actor: string; action: string; target: string | null; status: number | null; details: unknown }): Promise<void> {
  await db.run('INSERT INTO audit_log (logged_at, actor, action, target, status, details) VALUES ($1, $2, $3, $4, $5, $6::JSON)', [
    e.at,
    e.actor,
    e.action,
    e.target,
    e.status,
    e.details === undefined || e.details === null ? null : JSON.stringify(e.details),
  ]);
}

export interface AuditFilter {
  readonly limit: number;
  readonly since?: Date;
  /** exact actor, e.g. key:key_ab12 */
  readonly actor?: string;
  /** actions containing this text, e.g. "erase" or "DELETE /v1/customers" */
  readonly action?: string;
  /** actions also matched exactly (the routes whose command name contains `action`) */
  readonly actionsAlso?: readonly string[];
}

/** The newest entries first, filtered; every filter value is a bound parameter. */
export function readAudit(db: Queryable, f: AuditFilter): Promise<AuditRow[]> {
  return db.all<AuditRow>(
    `SELECT logged_at AS at, actor, action, target, status, details::VARCHAR AS details FROM audit_log
     WHERE ($2::TIMESTAMP IS NULL OR logged_at >= $2::TIMESTAMP)
       AND ($3::VARCHAR IS NULL OR actor = $3::VARCHAR)
       AND ($4::VARCHAR IS NULL OR contains(lower(action), lower($4::VARCHAR)) OR list_contains($5::VARCHAR[], action))
     ORDER BY logged_at DESC, action LIMIT $1`,
    [f.limit, f.since ?? null, f.actor ?? null, f.action ?? null, [...(f.actionsAlso ?? [])]],
  );
}
