import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerAllFields } from '../fields.js';
import { GroupCommitter } from '../ingest/live/committer.js';
import type { Store } from '../store/db.js';
import { installAdminAudit } from './audit.js';
import { checkKeysBeforeValidation } from './auth-order.js';
import { installBodyParsing } from './body/index.js';
import { ConnectionGuard } from './connections.js';
import './context.js';
import { installErrorHandling, installInputChecks } from './errors.js';
import { HTTP_LIMITS, type HttpLimits } from './limits.js';
import { installRateLimits, rateLimitBy } from './rate-limit.js';
import { collectRoutes } from './route-list.js';
import { routePlugins } from './routes/index.js';
import { attachWorkflows, type WorkflowServerOptions } from '../workflows/server.js';

export interface BuildOptions {
  readonly store: Store;
  /** Fastify's pino logger: false (default, quiet), true, or pino options such as { level: 'info' } */
  readonly logger?: FastifyServerOptions['logger'];
  /** the workflow engine's options (a test's clock), or false for none; it starts when the server listens */
  readonly workflows?: WorkflowServerOptions;
  /** Overrides of HTTP_LIMITS (tests and benchmarks raise the rate limits, or shorten the timeouts). */
  readonly limits?: Partial<HttpLimits>;
  /**
   * Behind a reverse proxy, true (or the proxy's address) makes the client address come from
   * X-Forwarded-For, so rate limits apply per client rather than to the proxy.
   */
  readonly trustProxy?: FastifyServerOptions['trustProxy'];
}

/** The HTTP API over a store, ready for `inject` in tests or `listen`. The caller owns the store. */
export async function buildApp({ store, logger = false, workflows, limits: overrides, trustProxy = false }: BuildOptions): Promise<FastifyInstance> {
  registerAllFields();
  const limits: HttpLimits = { ...HTTP_LIMITS, ...overrides };
  const app = Fastify({
    logger,
    trustProxy,
    bodyLimit: limits.bodyBytes,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    http: { headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs), connectionsCheckingInterval: limits.timeoutCheckMs },
    // Route names are short; a longer segment of the path is no route of ours.
    routerOptions: { maxParamLength: 1000 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Every statement the server runs has a time and memory budget.
  await store.setBudget({ statementTimeoutMs: limits.statementTimeoutMs, memoryLimit: limits.databaseMemory });
  const committer = new GroupCommitter(store, {
    source: 'http',
    onListenerError: (e) => app.log.error({ err: e }, 'a commit listener failed'),
  });
  const connections = new ConnectionGuard(limits);
  connections.install(app);
  await installRateLimits(app, limits);
  const limitKey = rateLimitBy(app, { max: limits.requestsPerKey, windowMs: limits.rateWindowMs, what: 'this API key' }, (req) => `key:${req.apiKey?.keyId ?? ''}`);
  app.decorate('segmint', { store, committer, keyCache: new Map(), limits, connections, limitKey });
  attachWorkflows(app, store, committer, workflows);

  installBodyParsing(app, limits);
  installInputChecks(app);
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
