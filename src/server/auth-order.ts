import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { liveKey, missingKey, presentedKey, scopeOfCheck, takesBodyKey } from './auth.js';
import { isCompressed, readsWhole } from './body/index.js';
import { noRoute } from './errors.js';

type Hook = (...args: never[]) => unknown;
type Check = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** A route option that holds one hook, a list of them or none, as a list. */
const hooksOf = (option: unknown): Hook[] => ([option] as unknown[]).flat().filter((h): h is Hook => typeof h === 'function');

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Set while a route that needs a key has not yet found a valid one in the request: any error about
     * the body before then (bad JSON, too large) is answered 401 instead (errors.ts).
     */
    keyPending?: boolean;
  }
}

/**
 * Routes declare their key check as `preHandler: requireScope(...)`, but Fastify reads, decompresses,
 * parses and validates the body before preHandler runs, so a caller without a key could make the server
 * do that work and learn the shape of a request before being refused (docs/security.md). This moves every
 * scope check to the start of the request:
 * - a key in a header (valid or not), and any request to a route that takes no key in its body, is
 *   checked in onRequest: 401/403/429 before the body, its Content-Type or its encoding are looked at;
 * - without a header key, the ingestion routes (Segment's `writeKey` body field) read the body to find
 *   the key, only as plain JSON or text (a compressed or other body is refused 401 unread), and check it
 *   in preValidation, before the body is validated. Until then any answer about the body is a 401.
 * Call before the route plugins.
 */
export function checkKeysBeforeValidation(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const pre = hooksOf(route.preHandler);
    const checks = pre.filter((h) => scopeOfCheck(h) !== undefined) as unknown as Check[];
    if (checks.length === 0) return;
    const bodyKey = checks.every((c) => takesBodyKey(scopeOfCheck(c)!));
    const scope = scopeOfCheck(checks[0])!;
    const runChecks = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      for (const check of checks) await check(req, reply);
      req.keyPending = false;
    };
    const keyFirst = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      req.keyPending = true;
      req.requiredScope = scope;
      if (!bodyKey || presentedKey(req, false) !== undefined) return runChecks(req, reply);
      // No header key on a route that takes one in its body: the body is read only in the form a
      // writeKey field can travel in (uncompressed JSON or text), within the route's body limit.
      if (isCompressed(req)) throw missingKey(scope, ' (a compressed body is read only with the key in a header)');
      if (!readsWhole(req.headers['content-type'])) throw missingKey(scope, ' (a body that is not JSON cannot hold a "writeKey" field)');
    };
    const keyFromBody = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if (req.keyPending) await runChecks(req, reply);
    };
    route.onRequest = [...hooksOf(route.onRequest), keyFirst] as RouteOptions['onRequest'];
    route.preHandler = pre.filter((h) => scopeOfCheck(h) === undefined) as RouteOptions['preHandler'];
    route.preValidation = [keyFromBody, ...hooksOf(route.preValidation)] as RouteOptions['preValidation'];
  });
}

/**
 * A request for a method and path no route serves is answered at its start, before its body is read,
 * decompressed or parsed (Fastify would otherwise parse it for the not-found handler, so an anonymous
 * caller could make the server inflate a gzip bomb on any made-up path): 401 when it sends a key in a
 * header that is unknown, revoked or expired (docs/security.md: a header key, valid or not, is checked on
 * every request), otherwise 404. Per-address rate limits still apply first (rate-limit.ts).
 */
export function answerUnknownPathsFirst(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!req.is404) return;
    const presented = presentedKey(req, false);
    if (presented !== undefined) await liveKey(req, presented);
    return reply.code(404).send(noRoute(req));
  });
}
