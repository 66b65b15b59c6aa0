import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireScope } from '../auth.js';
import { SCOPES } from '../keys.js';

/** GET /v1/me: which key this is and what it may do; the dashboard signs in with it. */
export const meRoutes: FastifyPluginAsync = async (app) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/me',
    {
      preHandler: requireScope('read'),
      schema: {
        tags: ['keys'],
        summary: 'The presented key: id, name and scopes (needs read or admin)',
        response: { 200: z.object({ keyId: z.string(), name: z.string().nullable(), scopes: z.array(z.enum(SCOPES)), createdAt: z.string() }) },
      },
    },
    async (req) => {
      const k = req.apiKey!;
      return { keyId: k.keyId, name: k.name, scopes: [...k.scopes], createdAt: k.createdAt.toISOString() };
    },
  );
};
