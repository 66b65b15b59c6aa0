import type { ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerAllFields } from '../fields.js';
import { GroupCommitter } from '../ingest/live/committer.js';
import type { Store } from '../store/db.js';
import { installAdminAudit } from './audit.js';
import { answerUnknownPathsFirst, checkKeysBeforeValidation } from './auth-order.js';
import { endStreamsOnClose } from './change-stream.js';
import { installBodyParsing } from './body/index.js';
import { ConnectionGuard } from './connections.js';
import './context.js';
import { clientErrorHandler, installErrorHandling, installInputChecks } from './errors.js';
import { HTTP_LIMITS, type HttpLimits } from './limits.js';
import { installRateLimits, rateLimitBy } from './rate-limit.js';
import { resyncAfterWrites, startRealtime, type RealtimeServerOptions } from './realtime.js';
import { collectRoutes } from './route-list.js';
import { privateRequestLog } from './request-log.js';
import { routePlugins } from './routes/index.js';
import { attachWorkflows, inLineWithWorkflows, type WorkflowServerOptions } from '../workflows/server.js';
import { packageVersion } from '../version.js';

export interface BuildOptions {
  readonly store: Store;
  /** Fastify's pino logger: false (default, quiet), true, or pino options such as { level: 'info' } */
  readonly logger?: FastifyServerOptions['logger'];
  /** the workflow engine's options (a test's clock), or false for none; it starts when the server listens */
  readonly workflows?: WorkflowServerOptions;
  /** real-time segments (default on); false for an app without them */
  readonly realtime?: RealtimeServerOptions | false;
  /** Overrides of HTTP_LIMITS (tests and benchmarks raise the rate limits, or shorten the timeouts). */
  readonly limits?: Partial<HttpLimits>;
  /**
   * Behind a reverse proxy, true (or the proxy's address) makes the client address come from
   * X-Forwarded-For, so rate limits apply per client rather than to the proxy.
   */
  readonly trustProxy?: FastifyServerOptions['trustProxy'];
}

/** The HTTP API over a store, ready for `inject` in tests or `listen`. The caller owns the store. */
export async function buildApp({ store, logger = false, workflows, limits: overrides, trustProxy = false, realtime: realtimeOptions = {} }: BuildOptions): Promise<FastifyInstance> {
  registerAllFields();
  const limits: HttpLimits = { ...HTTP_LIMITS, ...overrides };
  const app = Fastify({
    logger: privateRequestLog(logger),
    trustProxy,
    bodyLimit: limits.bodyBytes,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node's own 408/431/400, before a request exists, in the API's error shape.
    clientErrorHandler: clientErrorHandler(limits),
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
  // Who holds which identifier, in memory before the first request (IdentityMap).
  await committer.prepare();
  const connections = new ConnectionGuard(limits);
  connections.install(app);
  await installRateLimits(app, limits);
  const limitKey = rateLimitBy(app, { max: limits.requestsPerKey, windowMs: limits.rateWindowMs, what: 'this API key' }, (req) => `key:${req.apiKey?.keyId ?? ''}`);
  const realtime = realtimeOptions === false ? undefined : await startRealtime(store, committer, app.log, realtimeOptions);
  app.decorate('segmint', {
    store,
    committer,
    keyCache: new Map(),
    limits,
    connections,
    limitKey,
    streams: new Set<ServerResponse>(),
    ...(realtime ? { realtime: realtime.engine, webhooks: realtime.webhooks } : {}),
  });
  if (realtime) resyncAfterWrites(app, realtime.engine);
  endStreamsOnClose(app);
  attachWorkflows(app, store, committer, workflows);
  // Workflows hear of every membership change as it is recorded.
  if (realtime && app.workflows) app.workflows.addMembershipSource(realtime.engine);

  installBodyParsing(app, limits);
  installInputChecks(app);
  installErrorHandling(app);
  installAdminAudit(app);
  collectRoutes(app);
  checkKeysBeforeValidation(app);
  answerUnknownPathsFirst(app);

  await app.register(swagger, {
    openapi: {
      info: { title: 'segmint', description: 'Customer segmentation engine: ingestion (Segment HTTP API), keys, segments.', version: packageVersion() },
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
    await realtime?.webhooks.stop();
    await realtime?.engine.stop();
  });
  await app.ready();
  return app;
}

export interface RunningServer {
  readonly url: string;
  readonly app: FastifyInstance;
  /**
   * Stops the CLI commands it carries out (stopCommands), stops accepting requests, answers those in
   * flight, then returns; the store stays open. `say` as stopCommands'.
   */
  close(say?: (message: string) => void): Promise<void>;
  /**
   * Stops carrying out CLI commands (cli/served/host.ts, CommandHost.close): cancels an import under way
   * (it rolls back), waits for a command that cannot stop part-way, and says which through `say` (a
   * sentence without the `segmint: ` prefix). Called first by a stopping `serve` or `demo`, so what the
   * server waits for is said at once; close() calls it too (the same promise).
   */
  stopCommands(say?: (message: string) => void): Promise<void>;
}

/**
 * Builds the app and listens. On a database file, CLI commands on that file are then carried out by
 * this server (see cli/served/host.ts), found through the lock file written beside the database.
 */
export async function startServer(opts: BuildOptions & { port: number; host: string }): Promise<RunningServer> {
  const app = await buildApp(opts);
  let address: string;
  try {
    address = await app.listen({ port: opts.port, host: opts.host });
  } catch (e) {
    // A port in use: the engines buildApp started (real time, webhooks) stop, so the process can exit.
    await app.close().catch(() => undefined);
    throw e;
  }
  const { startCommandHost } = await import('../cli/served/host.js');
  const commands = opts.store.path === ':memory:' ? undefined : await startCommandHost({ store: opts.store, engine: app.segmint.realtime, inLine: inLineWithWorkflows(app), url: address, log: app.log });
  const stopCommands = async (say?: (message: string) => void): Promise<void> => {
    await commands?.close(say);
  };
  return {
    url: address,
    app,
    stopCommands,
    close: async (say) => {
      await stopCommands(say);
      await app.close();
    },
  };
}
