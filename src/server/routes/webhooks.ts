import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addWebhook, deliveries, removeWebhook, webhooks } from '../../realtime/webhooks/manage.js';
import { requireScope } from '../auth.js';
import { queryWhole } from './query-numbers.js';

const webhookOut = z.object({
  id: z.string(),
  segment: z.string().nullable(),
  segmentId: z.string(),
  url: z.string(),
  on: z.enum(['entered', 'exited', 'both']),
  createdAt: z.date(),
  secret: z.string().describe('in full only in the answer to POST; a prefix afterwards'),
});

const deliveryOut = z.object({
  id: z.string(),
  webhookId: z.string(),
  segment: z.string().nullable(),
  customerId: z.string(),
  change: z.enum(['entered', 'exited']),
  at: z.date(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.date().nullable(),
  lastAttemptAt: z.date().nullable(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.date().nullable(),
  waitingFor: z.string().nullable(),
});

/** /v1/webhooks: the same operations as `segmint webhooks`, for an admin key. */
export const webhooksRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const admin = { preHandler: requireScope('admin') };
  const tags = ['webhooks'];
  const { store } = plain.segmint;

  app.get(
    '/v1/webhooks',
    { ...admin, schema: { tags, summary: 'List webhooks', querystring: z.object({ segment: z.string().optional() }), response: { 200: z.object({ webhooks: z.array(webhookOut) }) } } },
    async (req) => ({ webhooks: await webhooks(store, req.query.segment) }),
  );

  app.post(
    '/v1/webhooks',
    {
      ...admin,
      schema: {
        tags,
        summary: 'POST every entry and/or exit of a segment to a URL, signed (docs/realtime.md)',
        body: z.object({
          segment: z.string().min(1),
          url: z.string().min(1),
          on: z.enum(['entered', 'exited', 'both']).optional(),
          secret: z.string().optional().describe('at least 16 characters; made when absent'),
        }),
        response: { 201: webhookOut },
      },
    },
    async (req, reply) => {
      const w = await addWebhook(store, { segment: req.body.segment, url: req.body.url, ...(req.body.on ? { on: req.body.on } : {}), ...(req.body.secret !== undefined ? { secret: req.body.secret } : {}) });
      return reply.code(201).send(w);
    },
  );

  app.delete(
    '/v1/webhooks/:id',
    { ...admin, schema: { tags, summary: 'Remove a webhook (and its deliveries not made yet)', params: z.object({ id: z.string() }), response: { 200: z.object({ removed: z.string() }) } } },
    async (req) => {
      await removeWebhook(store, req.params.id);
      return { removed: req.params.id };
    },
  );

  app.get(
    '/v1/webhooks/deliveries',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Deliveries, newest first; failed ones stay with their last error',
        querystring: z.object({
          webhook: z.string().optional(),
          status: z.enum(['pending', 'delivered', 'failed']).optional(),
          limit: queryWhole(1, 10_000).optional(),
        }),
        response: { 200: z.object({ deliveries: z.array(deliveryOut) }) },
      },
    },
    async (req) => ({ deliveries: await deliveries(store, { ...req.query }) }),
  );
};
