import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/**
 * The server's request log records a request's route pattern (`/v1/customers/:id/segments`), never
 * its URL: a path or query holds customer identifiers (an email on every page view, docs/realtime.md),
 * and a log line kept after `customers erase` would keep them (docs/privacy.md). The audit log records
 * the pattern for the same reason. A request no route matched logs its method and `(no route)`.
 */
function requestWithoutIdentifiers(req: FastifyRequest): Record<string, unknown> {
  return {
    method: req.method,
    route: req.routeOptions?.url ?? '(no route)',
    remoteAddress: req.ip,
  };
}

/** Fastify's logger option with the request serializer above; false stays false (no log). */
export function privateRequestLog(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false || logger === undefined) return logger;
  const options = logger === true ? {} : logger;
  return { ...options, serializers: { ...options.serializers, req: requestWithoutIdentifiers } };
}
