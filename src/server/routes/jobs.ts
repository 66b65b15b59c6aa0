import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { routeKit } from './kit.js';
import { SegmintError } from '../../domain/errors.js';

/** Following long work started over the API (imports, fits, clustering): poll until done or failed. */
const jobOut = z
  .looseObject({
    id: z.string(),
    kind: z.string(),
    state: z.enum(['queued', 'running', 'done', 'failed']),
    steps: z.array(z.string()),
    step: z.number().describe('index of the running step; steps.length when done'),
    result: z.unknown().describe('what the equivalent CLI command prints with --json, once done'),
    error: z.unknown().describe('{ error, message, details } when failed'),
  })
  .describe('a job');

export const jobsRoutes: FastifyPluginAsync = async (plain) => {
  const { app, read, jobs } = routeKit(plain);
  app.get('/v1/jobs', { ...read, schema: { tags: ['jobs'], summary: 'Recent jobs of this server process, newest first', response: { 200: z.object({ jobs: z.array(jobOut) }) } } }, async () => ({
    jobs: jobs.list(),
  }));
  app.get(
    '/v1/jobs/:id',
    { ...read, schema: { tags: ['jobs'], summary: 'One job: state, step, and its result or error', params: z.object({ id: z.string() }), response: { 200: jobOut } } },
    async (req) => {
      const job = jobs.get(req.params.id);
      if (!job) throw new SegmintError('job_not_found', `No job ${req.params.id} on this server (jobs are kept in memory until the server restarts).`, { id: req.params.id }, 404);
      return job;
    },
  );
};
