import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Liveness for load balancers and the CLI: no key needed, touches the database. */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/health',
    { schema: { tags: ['server'], summary: 'Is the server up', response: { 200: z.object({ ok: z.literal(true) }) } } },
    async () => {
      await app.segmint.store.one('SELECT 1');
      return { ok: true as const };
    },
  );
};
