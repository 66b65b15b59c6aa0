import type { FastifyInstance, FastifyRequest } from 'fastify';
import { keyActor, recordAudit } from '../privacy/audit.js';
import './context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the scope the route asked for (set by requireScope) */
    requiredScope?: 'admin' | 'write' | 'read';
    /** what an audited request acted on (a regulation id, a key id, a customer id: never typed text) */
    auditTarget?: string;
    /** a few counts or names to keep with the audit entry */
    auditDetails?: unknown;
  }
}

/**
 * Marks a request for the audit log with what it acted on. Admin requests that change something
 * (POST, PUT, PATCH, DELETE) are recorded anyway; a GET is recorded only when its route calls this
 * (a subject export, reading the audit log), so the dashboard's reads do not flood the log.
 */
export function auditRequest(req: FastifyRequest, target: string | null, details?: unknown): void {
  req.auditTarget = target ?? '';
  if (details !== undefined) req.auditDetails = details;
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Records admin actions in the audit log once they are answered: who (the key's id), what (method and
 * route pattern, never the URL: a path may hold an email), on what, the status, and when. Requests
 * without a known key are not recorded (they name no one); a known key refused for lacking the admin
 * scope is. A failure to record is logged and never changes the answer.
 */
export function installAdminAudit(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    if (req.requiredScope !== 'admin' || !req.apiKey) return;
    if (!CHANGES.has(req.method) && req.auditTarget === undefined) return;
    try {
      await recordAudit(app.segmint.store, {
        actor: keyActor(req.apiKey.keyId),
        action: `${req.method} ${req.routeOptions.url ?? '(no route)'}`,
        target: req.auditTarget === '' ? null : (req.auditTarget ?? null),
        status: reply.statusCode,
        details: req.auditDetails,
      });
    } catch (e) {
      req.log.error({ err: e }, 'could not record an admin action in the audit log');
    }
  });
}
