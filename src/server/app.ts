import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerAllFields } from '../fields.js';
import { GroupCommitter } from '../ingest/live/committer.js';
import type { Store } from '../store/db.js';
import { installAdminAudit } from './audit.js';
import { checkKeysBeforeValidation } from './auth-order.js';
import './context.js';
import { installErrorHandling } from './errors.js';
import { collectRoutes } from './route-list.js';
import { routePlugins } from './routes/index.js';

export interface BuildOptions {
  readonly store: Store;
  /** Fastify's pino logger: false (default, quiet), true, or pino options such as { level: 'info' } */
  readonly logger?: FastifyServerOptions['logger'];
}

/** The HTTP API over a store, ready for `inject` in tests or `listen`. The caller owns the store. */
export async function buildApp({ store, logger = false }: BuildOptions): Promise<FastifyInstance> {
  registerAllFields();
  const app = Fastify({ logger });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const committer = new GroupCommitter(store, {
    source: 'http',
    onListenerError: (e) => app.log.error({ err: e }, 'a commit listener failed'),
  });
  app.decorate('segmint', { store, committer, keyCache: new Map() });

  // Segment's browser SDK posts JSON as text/plain to skip the CORS preflight. Text that is not JSON is
  // passed on as a string for routes that take plain text.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(null, text);
    }
  });
  installErrorHandling(app);
  installAdminAudit(app);
  collectRoutes(app);
  checkKeysBeforeValidation(app);

  await app.register(swagger, {
    openapi: {
      info: { title: 'segmint', description: 'Customer segmentation engine: ingestion (Segment HTTP API), keys, segments.', version: '0.1.0' },
      components: {
        securitySchemes: {
          writeKey: { type: 'http', scheme: 'basic', description: 'The key as the username, empty password' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ writeKey: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  for (const plugin of routePlugins) await app.register(plugin);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.addHook('onClose', async () => {
    await app.segmint.committer.idle();
  });
  await app.ready();
  return app;
}

export interface RunningServer {
  readonly url: string;
  readonly app: FastifyInstance;
  /** Stops accepting requests, answers those in flight, then returns; the store stays open. */
  close(): Promise<void>;
}

export async function startServer(opts: BuildOptions & { port: number; host: string }): Promise<RunningServer> {
  const app = await buildApp(opts);
  const address = await app.listen({ port: opts.port, host: opts.host });
  return { url: address, app, close: () => app.close() };
}
