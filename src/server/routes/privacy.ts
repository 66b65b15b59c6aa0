import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseAsOf } from '../../domain/as-of.js';
import { auditLog, keyActor, MAX_AUDIT_ROWS } from '../../privacy/audit.js';
import { MAX_IDENTIFIERS, MAX_REASON } from '../../privacy/erase.js';
import { subjectExport } from '../../privacy/export.js';
import { getRegulation, recentRegulations, RegulationRunner, requestErasure, type Regulation } from '../../privacy/regulations.js';
import { RETENTION_SETTING, runRetention } from '../../privacy/retention.js';
import { auditRequest } from '../audit.js';
import { inLineWithWorkflows } from '../../workflows/server.js';
import { requireScope } from '../auth.js';
import { resyncAround } from '../realtime.js';
import { queryWhole } from './query-numbers.js';

const regulationOut = z
  .object({
    regulationId: z.string(),
    status: z.enum(['pending', 'running', 'finished', 'failed']),
    requestedAt: z.string(),
    requestedBy: z.string(),
    reason: z.string().nullable(),
    identifiers: z.number(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    customersErased: z.number().nullable(),
    identifiersNotFound: z.number().nullable(),
    identifiersAlreadyErased: z.number().nullable(),
    identifiersSuppressed: z.number().nullable(),
    ordersAnonymised: z.number().nullable(),
    rowsDeleted: z.record(z.string(), z.number()).nullable(),
    fileRewritten: z.boolean().nullable(),
    segmentsMentioning: z.array(z.string()).nullable(),
    error: z.string().nullable(),
  })
  .describe('an erasure request: counts only, never the identifiers');

const auditOut = z.object({
  at: z.string(),
  actor: z.string().describe('key:<key id> over HTTP, cli:<user> from the command line'),
  action: z.string(),
  target: z.string().nullable(),
  status: z.number().nullable(),
  details: z.unknown(),
});

/**
 * Erasure, subject access and the audit log over HTTP (docs/privacy.md, docs/api.md), admin scope.
 * Erasure requests run one at a time in the background of the server; DELETE /v1/customers/{id}
 * waits for its own, POST /v1/regulations answers at once with a request to poll.
 */
export const privacyRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const store = plain.segmint.store;
  // Deletions run in line with the workflow engine: a run of the person is never between deciding a
  // send and making it while its rows go, so nothing more is sent to them; and the real-time engine
  // forgets the person at once, also for requests that finish after their answer (docs/privacy.md).
  const workflows = inLineWithWorkflows(plain);
  const realtime = plain.segmint.realtime;
  const live = realtime ? resyncAround(realtime) : <T>(fn: () => Promise<T>) => fn();
  const runner = new RegulationRunner(
    store,
    (e, id) => plain.log.error({ err: e, regulationId: id }, 'an erasure request failed'),
    (fn) => workflows(() => live(fn)),
  );
  plain.addHook('onReady', async () => runner.resume());
  plain.addHook('onClose', async () => runner.idle());
  const admin = { preHandler: requireScope('admin') };
  const tags = ['privacy'];
  const customer = z.object({ id: z.string().min(1).describe('customer id, email, user id or external id') });

  const erase = async (identifiers: readonly unknown[], reason: unknown, keyId: string): Promise<string> =>
    requestErasure(store, { identifiers, reason, actor: keyActor(keyId) });

  app.delete(
    '/v1/customers/:id',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Erase a customer: every row deleted, orders anonymised, identifiers suppressed, file rewritten (waits until done)',
        params: customer,
        querystring: z.object({ reason: z.string().max(MAX_REASON).optional().describe('kept with the request: never the person’s name or email') }),
        response: { 200: regulationOut },
      },
    },
    async (req): Promise<Regulation> => {
      const id = await erase([req.params.id], req.query.reason, req.apiKey!.keyId);
      auditRequest(req, id);
      const done = await runner.run(id);
      req.auditDetails = { customersErased: done.customersErased };
      return done;
    },
  );

  app.get(
    '/v1/customers/:id/export',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Everything held about one person, as JSON (subject access): their rows, score and segment explanations',
        params: customer,
        querystring: z.object({ asOf: z.string().optional().describe('moment segment memberships are explained at; default now') }),
      },
    },
    async (req) => {
      const e = await subjectExport(store, req.params.id, parseAsOf(req.query.asOf, 'asOf'));
      auditRequest(req, e.customerId, { tables: Object.keys(e.tables).length });
      return e;
    },
  );

  app.post(
    '/v1/regulations',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Ask for the erasure of people (Segment-style regulation); answers 202 at once, poll GET /v1/regulations/{id}',
        body: z.object({
          identifiers: z.array(z.union([z.string(), z.number()])).min(1).max(MAX_IDENTIFIERS).describe('one per person: customer id, email, user id or external id'),
          reason: z.string().max(MAX_REASON).optional(),
        }),
        response: { 202: regulationOut },
      },
    },
    async (req, reply) => {
      const id = await erase(req.body.identifiers, req.body.reason, req.apiKey!.keyId);
      auditRequest(req, id, { identifiers: req.body.identifiers.length });
      runner.start(id);
      return reply.code(202).header('location', `/v1/regulations/${id}`).send(await getRegulation(store, id));
    },
  );

  app.get(
    '/v1/regulations',
    {
      ...admin,
      schema: { tags, summary: 'Erasure requests, newest first', querystring: z.object({ limit: queryWhole(1, 1000).default(100) }), response: { 200: z.array(regulationOut) } },
    },
    async (req) => recentRegulations(store, req.query.limit),
  );

  app.get(
    '/v1/regulations/:regulationId',
    { ...admin, schema: { tags, summary: 'One erasure request and its status', params: z.object({ regulationId: z.string() }), response: { 200: regulationOut } } },
    async (req) => getRegulation(store, req.params.regulationId),
  );

  app.post(
    '/v1/retention/run',
    {
      ...admin,
      schema: {
        tags,
        summary: `Apply the ${RETENTION_SETTING} setting now: delete raw events older than it (aggregates stay)`,
        response: { 200: z.object({ days: z.number().nullable(), cutoff: z.string().nullable(), eventsDeleted: z.number(), fileRewritten: z.boolean() }) },
      },
    },
    async (req) => {
      const r = await runRetention(store);
      auditRequest(req, null, { eventsDeleted: r.eventsDeleted, days: r.days });
      return r;
    },
  );

  app.get(
    '/v1/audit',
    {
      ...admin,
      schema: {
        tags,
        summary: 'The audit log of admin actions: who, what, when (newest first)',
        querystring: z.object({
          limit: queryWhole(1, MAX_AUDIT_ROWS).default(100),
          since: z.string().optional(),
          actor: z.string().optional(),
          action: z.string().optional(),
        }),
        response: { 200: z.array(auditOut) },
      },
    },
    async (req) => {
      const q = req.query;
      const entries = await auditLog(store, { limit: q.limit, since: q.since === undefined ? undefined : parseAsOf(q.since, 'since'), actor: q.actor, action: q.action });
      auditRequest(req, null);
      return entries;
    },
  );
};
