import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireScope } from '../auth.js';
import { jobsOf } from '../jobs/shared.js';

/**
 * What a route plugin of the read API starts from: the app typed for zod schemas, the store, the route
 * options that require the read or admin scope, and the server's job queue. Call it in the plugin body.
 */
export function routeKit(plain: FastifyInstance) {
  return {
    app: plain.withTypeProvider<ZodTypeProvider>(),
    store: plain.segmint.store,
    read: { preHandler: requireScope('read') },
    admin: { preHandler: requireScope('admin') },
    jobs: jobsOf(plain),
  };
}
