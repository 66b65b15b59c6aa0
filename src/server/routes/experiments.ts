import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readMoment } from '../../analytics/asOf.js';
import { analyzeExperiment } from '../../measure/experiments/analyze.js';
import { assignmentsSummaryLine, writeAssignmentsCsv } from '../../measure/experiments/assignments.js';
import { createExperiment } from '../../measure/experiments/create.js';
import { deleteExperiment, getExperiment, listExperiments } from '../../measure/experiments/manage.js';
import { parseMde, parseWindow } from '../../measure/experiments/options.js';
import { requireScope } from '../auth.js';
import { sendConsentCsv } from '../consent-csv.js';

/**
 * /v1/experiments: the same operations as `segmint experiments`. Reading (list, show, analysis,
 * assignments) needs the read scope; creating and deleting need admin.
 */
export const experimentsRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const store = plain.segmint.store;
  const read = { preHandler: requireScope('read') };
  const admin = { preHandler: requireScope('admin') };
  const tags = ['experiments'];
  const name = z.object({ name: z.string().min(1) });

  app.get('/v1/experiments', { ...read, schema: { tags, summary: 'List experiments with group sizes and SRM p-values' } }, async () => listExperiments(store));

  app.post(
    '/v1/experiments',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Split a saved segment at random into groups (control first) and record the assignment',
        body: z.object({
          name: z.string(),
          segment: z.string(),
          groups: z.string().optional().describe('e.g. control:50,treatment:50 (default)'),
          at: z.string().optional().describe('assign as of this past date or datetime (backtest); default now'),
          seed: z.string().optional().describe('hash salt; default random'),
          planned: z.number().int().min(2).optional().describe('customers planned in all (tunes the always-valid interval)'),
          description: z.string().nullable().optional(),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const e = await createExperiment(store, {
        name: b.name,
        segment: b.segment,
        groups: b.groups ?? 'control:50,treatment:50',
        ...(b.at !== undefined ? { at: await readMoment(store, b.at, 'at') } : {}),
        ...(b.seed !== undefined ? { salt: b.seed } : {}),
        ...(b.planned !== undefined ? { plannedCustomers: b.planned } : {}),
        description: b.description ?? null,
      });
      return reply.code(201).send(e);
    },
  );

  app.get('/v1/experiments/:name', { ...read, schema: { tags, summary: 'Show an experiment', params: name } }, async (req) => getExperiment(store, req.params.name));

  app.get(
    '/v1/experiments/:name/analysis',
    {
      ...read,
      schema: {
        tags,
        summary: 'Lifts with 95% intervals, CUPED, always-valid intervals, SRM and power, in plain words',
        params: name,
        querystring: z.object({
          metric: z.string().optional().describe('comma-separated metrics; default all standard'),
          window: z.string().optional().describe('e.g. 30d (default) or 4w'),
          asOf: z.string().optional(),
          mde: z.string().optional().describe('relative lift for power, e.g. 10%'),
        }),
      },
    },
    async (req) =>
      analyzeExperiment(store, req.params.name, {
        ...(req.query.metric !== undefined ? { metrics: req.query.metric } : {}),
        windowDays: parseWindow(req.query.window, 'window'),
        asOf: await readMoment(store, req.query.asOf, 'asOf'),
        mde: parseMde(req.query.mde, 'mde'),
      }),
  );

  app.get(
    '/v1/experiments/:name/assignments',
    {
      ...read,
      schema: {
        tags,
        summary: 'Assignments as CSV (a campaign, or a workflow holdout or split): customer_id, user_id, email, group, assigned_at; the email only of members with email consent granted',
        params: name,
        querystring: z.object({
          unknownConsent: z.enum(['exclude', 'include']).optional().describe('the email of members with no email consent decision (default exclude: left out)'),
        }),
      },
    },
    async (req, reply) => {
      const chunks: string[] = [];
      const summary = await writeAssignmentsCsv(store, req.params.name, (c) => void chunks.push(c), { unknownConsent: req.query.unknownConsent ?? 'exclude' });
      return sendConsentCsv(reply, chunks.join(''), summary, assignmentsSummaryLine(summary));
    },
  );

  app.delete('/v1/experiments/:name', { ...admin, schema: { tags, summary: 'Delete an experiment and its assignments', params: name } }, async (req, reply) => {
    await deleteExperiment(store, req.params.name);
    return reply.code(204).send();
  });
};
