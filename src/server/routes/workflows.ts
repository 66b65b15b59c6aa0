import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isSegmintError, SegmintError } from '../../domain/errors.js';
import { createWorkflow, deleteWorkflow, getWorkflow, listWorkflows, pauseWorkflow, resumeWorkflow, updateWorkflow, type WorkflowInput } from '../../workflows/manage/crud.js';
import { previewEmail } from '../../workflows/manage/preview.js';
import { runDetail, workflowRuns } from '../../workflows/manage/runs.js';
import { checkUnsubscribeLink, unsubscribe } from '../../workflows/manage/unsubscribe.js';
import { withEngine } from '../../workflows/server.js';
import { installTemplate, listTemplates } from '../../workflows/templates/install.js';
import { requireScope } from '../auth.js';
import { answerError } from '../errors.js';
import { queryWhole } from './query-numbers.js';

const name = z.object({ name: z.string().min(1) });
const definitionFields = {
  definition: z.unknown().optional().describe('the definition as a JSON object (docs/workflows.md)'),
  source: z.string().optional().describe('the definition as JSON or YAML text'),
};

function inputOf(b: { definition?: unknown; source?: string | undefined }): WorkflowInput | undefined {
  if (b.definition !== undefined && b.source !== undefined) throw new SegmintError('definition_twice', 'Give either definition or source, not both.', { field: 'definition' });
  if (b.source !== undefined) return { text: b.source, origin: 'source' };
  if (b.definition !== undefined) return { object: b.definition, origin: 'definition' };
  return undefined;
}

/**
 * /v1/workflows: the same operations as `segmint workflows`, for an admin key (its reports also for a
 * read key); /v1/unsubscribe is public (the link in every email). Changes run in line with the engine inside this server.
 */
export const workflowsRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const store = plain.segmint.store;
  const admin = { preHandler: requireScope('admin') };
  // What `workflows list/runs/show-run` print is a report: a read key reads it. A definition stays
  // admin: its webhook steps may carry headers with the receiver's credentials.
  const read = { preHandler: requireScope('read') };
  const tags = ['workflows'];
  const now = (): Date => plain.workflows?.clock.now() ?? new Date();
  // Mail clients send the one-click unsubscribe (RFC 8058) as a form: List-Unsubscribe=One-Click.
  plain.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, String(body)));

  app.get('/v1/workflows', { ...read, schema: { tags, summary: 'List workflows with their run and message counts' } }, async () => listWorkflows(store));

  app.get('/v1/workflow-templates', { ...read, schema: { tags, summary: 'The ready-made workflows and their parameters' } }, async () => listTemplates());

  app.post(
    '/v1/workflows',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Create a workflow from a definition, or from a template with parameters',
        body: z.object({
          name: z.string(),
          ...definitionFields,
          template: z.string().optional(),
          params: z.record(z.string(), z.string()).optional(),
          paused: z.boolean().optional(),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const input = inputOf(b);
      if (b.template !== undefined && input) throw new SegmintError('definition_twice', 'Give a template or a definition, not both.', { field: 'template' });
      if (b.template === undefined && !input) throw new SegmintError('definition_missing', 'Give the definition (definition or source), or a template.', { field: 'definition' });
      const at = now();
      const w = await withEngine(plain, () =>
        b.template !== undefined
          ? installTemplate(store, b.name, b.template, b.params ?? {}, { now: at, ...(b.paused ? { paused: true } : {}) })
          : createWorkflow(store, b.name, input!, { now: at, ...(b.paused ? { paused: true } : {}) }),
      );
      return reply.code(201).send(w);
    },
  );

  app.get(
    '/v1/workflows/:name',
    { ...admin, schema: { tags, summary: 'Show a workflow (its current version, or ?version=N)', params: name, querystring: z.object({ version: queryWhole(1).optional() }) } },
    async (req) => getWorkflow(store, req.params.name, req.query.version),
  );

  app.put(
    '/v1/workflows/:name',
    { ...admin, schema: { tags, summary: 'Save a new version; runs under way stay on theirs', params: name, body: z.object(definitionFields) } },
    async (req) => {
      const input = inputOf(req.body);
      if (!input) throw new SegmintError('definition_missing', 'Give the new definition (definition or source).', { field: 'definition' });
      return withEngine(plain, () => updateWorkflow(store, req.params.name, input, now()));
    },
  );

  app.post('/v1/workflows/:name/pause', { ...admin, schema: { tags, summary: 'Pause: no run starts or moves', params: name } }, async (req) =>
    withEngine(plain, () => pauseWorkflow(store, req.params.name, now())),
  );

  app.post('/v1/workflows/:name/resume', { ...admin, schema: { tags, summary: 'Resume: due waits run, new triggers start runs', params: name } }, async (req) =>
    withEngine(plain, () => resumeWorkflow(store, req.params.name, now())),
  );

  app.delete('/v1/workflows/:name', { ...admin, schema: { tags, summary: 'Delete; active runs are cancelled, history is kept', params: name } }, async (req) =>
    withEngine(plain, () => deleteWorkflow(store, req.params.name, now())),
  );

  app.get(
    '/v1/workflows/:name/runs',
    {
      ...read,
      schema: {
        tags,
        summary: 'Runs of a workflow, newest first',
        params: name,
        querystring: z.object({ status: z.string().optional(), customer: z.string().optional(), limit: queryWhole(1, 10_000).optional() }),
      },
    },
    async (req) => workflowRuns(store, { workflow: req.params.name, ...req.query }),
  );

  app.get('/v1/workflow-runs/:id', { ...read, schema: { tags, summary: 'One run: its steps, sends and assignments', params: z.object({ id: z.string() }) } }, async (req) =>
    runDetail(store, req.params.id),
  );

  app.post(
    '/v1/workflows/:name/preview',
    { ...admin, schema: { tags, summary: 'Render an email step for a customer, without sending', params: name, body: z.object({ customer: z.string(), step: z.string().optional() }) } },
    // The link on this server's address when it runs the workflows, as its sends' links are.
    async (req) => previewEmail(store, req.params.name, req.body.customer, { ...(req.body.step ? { step: req.body.step } : {}), now: now(), listening: app.workflows?.listeningUrl() }),
  );

  // The link in every email. GET shows a confirmation (link scanners only read pages); the form and the
  // one-click POST of the List-Unsubscribe header (RFC 8058) record the decision.
  // The token travels in the query string: it is longer than a path parameter may be.
  const token = z.object({ token: z.string().min(1).max(2000) });
  app.get('/v1/unsubscribe', { errorHandler: personPage, schema: { tags, summary: 'The unsubscribe page of an email', querystring: token } }, async (req, reply) => {
    // A damaged link says so at once, in the words of the POST, rather than offering a button that fails.
    await checkUnsubscribeLink(store, req.query.token, now());
    return reply
      .type('text/html; charset=utf-8')
      .send(
        page(
          'Unsubscribe',
          `<p>Stop receiving marketing emails from us?</p><form method="post"><button type="submit" style="padding:8px 16px">Unsubscribe</button></form>`,
        ),
      );
  });
  // Its body is never used (RFC 8058's is 26 bytes): an anonymous caller may send at most 1 KB.
  app.post('/v1/unsubscribe', { errorHandler: personPage, bodyLimit: 1024, schema: { tags, summary: 'Unsubscribe (the form, or one-click)', querystring: token } }, async (req, reply) => {
    await withEngine(plain, () => unsubscribe(store, req.query.token, now()));
    return reply.type('text/html; charset=utf-8').send(page('Unsubscribed', '<p>You are unsubscribed: you will not receive marketing emails from us any more.</p>'));
  });
};

/**
 * The unsubscribe link is opened by a person, not a program: a link without its token (cut short when
 * copied) or with a damaged one gets a page saying what to do, still with status 400; anything else is
 * answered as every other error is (errors.ts).
 */
function personPage(err: FastifyError, req: FastifyRequest, reply: FastifyReply): unknown {
  const status = isSegmintError(err) ? err.httpStatus : (err.statusCode ?? 500);
  const damaged = err.validation !== undefined || (isSegmintError(err) && (err.code === 'invalid_unsubscribe_link' || err.code === 'empty_parameter'));
  if (!damaged) return answerError(err, req, reply);
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(
      page(
        'Unsubscribe link incomplete',
        '<p>This unsubscribe link is incomplete or damaged, so we cannot tell whose subscription it is.</p>' +
          '<p>Please open the link in the email again. If you copied it into the browser, copy all of it: it ends with a long code after <code>token=</code>.</p>',
      ),
    );
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif;max-width:32em;margin:4em auto">${body}</body></html>`;
}
