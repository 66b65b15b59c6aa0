import { userInfo } from 'node:os';
import { SegmintError } from '../domain/errors.js';
import type { Queryable } from '../store/db.js';
import { insertAudit, readAudit } from '../store/queries/privacy/audit-log.js';
import { rangeWords } from '../domain/whole-number.js';

/**
 * The audit log of admin actions (docs/security.md): who (an API key id, or the local user of the CLI),
 * what (the action: `DELETE /v1/customers/:id`, `customers erase`), when, on what (a regulation id, a
 * key id, a customer id — never an identifier someone typed), the answer's status and a few counts.
 */
export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  /** HTTP status of the answer (the CLI records 0 for success, 1 for a refused command) */
  readonly status: number | null;
  readonly details: unknown;
}

/** Who acts from the command line: the operating-system user (the database file is theirs). */
export function cliActor(): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.USER ?? process.env.USERNAME;
  }
  return `cli:${name && name !== '' ? name : 'unknown user'}`;
}

/** Who acts over HTTP: the API key's id (never its secret). */
export function keyActor(keyId: string): string {
  return `key:${keyId}`;
}

export async function recordAudit(
  db: Queryable,
  e: { actor: string; action: string; target?: string | null; status?: number | null; details?: unknown },
  at = new Date(),
): Promise<void> {
  await insertAudit(db, { at, actor: e.actor, action: e.action, target: e.target ?? null, status: e.status ?? null, details: e.details ?? null });
}

export const MAX_AUDIT_ROWS = 10_000;

/**
 * The command each audited route carries out, so `--action erase` finds an erasure however it was
 * asked for: over HTTP the log keeps the method and route pattern (never the URL, which may hold an
 * email), from the CLI the command's name.
 */
export const ROUTE_COMMANDS: Readonly<Record<string, string>> = {
  'DELETE /v1/customers/:id': 'customers erase',
  'POST /v1/regulations': 'customers erase',
  'GET /v1/customers/:id/export': 'customers export',
  'POST /v1/retention/run': 'retention run',
  'GET /v1/audit': 'audit',
  'POST /v1/keys': 'keys create',
  'DELETE /v1/keys/:keyId': 'keys revoke',
  'PUT /v1/config/:key': 'config set',
  'DELETE /v1/config/:key': 'config unset',
};

function routesDoing(text: string): string[] {
  const t = text.toLowerCase();
  return Object.entries(ROUTE_COMMANDS)
    .filter(([, command]) => command.includes(t))
    .map(([route]) => route);
}

/** The newest entries first; `limit` 1..MAX_AUDIT_ROWS (default 100). */
export async function auditLog(db: Queryable, opts: { limit?: number; since?: Date; actor?: string; action?: string } = {}): Promise<AuditEntry[]> {
  const limit = opts.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_ROWS) {
    throw new SegmintError('bad_limit', `limit must be a whole number ${rangeWords(1, MAX_AUDIT_ROWS)}, not ${String(opts.limit)}.`, { field: 'limit' });
  }
  const rows = await readAudit(db, {
    limit,
    since: opts.since,
    actor: opts.actor,
    action: opts.action,
    ...(opts.action !== undefined ? { actionsAlso: routesDoing(opts.action) } : {}),
  });
  return rows.map((r) => ({
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    target: r.target,
    status: r.status,
    details: r.details === null ? null : (JSON.parse(r.details) as unknown),
  }));
}

/** The log as lines of text, newest first. */
export function formatAudit(entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return 'No admin actions recorded.';
  return entries
    .map((e) => `${e.at}  ${e.actor}  ${e.action}${ROUTE_COMMANDS[e.action] ? ` (${ROUTE_COMMANDS[e.action]})` : ''}${e.target ? `  ${e.target}` : ''}${e.status !== null ? `  → ${e.status}` : ''}`)
    .join('\n');
}
