import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { workflowStepCounts } from '../../workflows/manage/steps.js';
import { routeKit } from './kit.js';

/**
 * GET /v1/workflows/{name}/steps: per-step counts of a workflow (runs at each step now, what each step
 * did, its sends by status and skip reason) and its runs by status; `segmint workflows steps NAME`.
 * Read scope, like the other workflow reports (list, runs): it names each step's kind and settings, never
 * a webhook step's URL or headers.
 */
export const workflowStepsRoutes: FastifyPluginAsync = async (plain) => {
  const { app, store, read } = routeKit(plain);
  app.get(
    '/v1/workflows/:name/steps',
    { ...read, schema: { tags: ['workflows'], summary: 'Per-step counts of a workflow and its runs by status', params: z.object({ name: z.string().min(1) }) } },
    async (req) => workflowStepCounts(store, req.params.name),
  );
};
