import type { FastifyReply, FastifyRequest } from 'fastify';
import { SegmintError } from '../domain/errors.js';
import './audit.js';
import './context.js';
import { allows, findKey, hashKey, isExpired, type ApiKeyInfo, type Scope } from './keys.js';

/**
 * The key a request presents, and where, in the forms Segment's SDKs and plain HTTP clients use:
 * HTTP Basic auth with the key as the username and an empty password (Segment's SDKs),
 * `Authorization: Bearer <key>`, an `X-Write-Key` header, or (only when `fromBody`, on the ingestion
 * routes) a `writeKey` field of the JSON body.
 */
export function presentedKey(req: FastifyRequest, fromBody = true): { key: string; where: string } | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const basic = /^Basic\s+(\S+)$/i.exec(auth);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const user = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
      if (user !== '') return { key: user, where: 'the Basic auth username (Authorization header)' };
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
    if (bearer) return { key: bearer[1]!, where: 'a Bearer token (Authorization header)' };
  }
  const header = req.headers['x-write-key'];
  if (typeof header === 'string' && header.trim() !== '') return { key: header.trim(), where: 'the X-Write-Key header' };
  if (!fromBody) return undefined;
  const body = req.body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const k = (body as Record<string, unknown>).writeKey;
    if (typeof k === 'string' && k !== '') return { key: k, where: 'the "writeKey" body field' };
  }
  return undefined;
}

// Keys are looked up once per few seconds per key, not once per request: the lookup would otherwise
// queue behind ingestion on the single database connection. Revoking through the API clears the cache.
const CACHE_MS = 5_000;

/**
 * Whether routes needing `scope` take a key in the body: only the Segment Tracking API (the routes
 * needing `write`), whose browser SDK sends the key as a `writeKey` field. Every other route takes it
 * in a header only, so that it can refuse a caller before reading any of the body (auth-order.ts).
 */
export function takesBodyKey(scope: Scope): boolean {
  return scope === 'write';
}

/**
 * The 401 for a request that presents no key. `why` says, when it is known, why the body was not read
 * for a `writeKey` field (a compressed body, a body that is not JSON).
 */
export function missingKey(scope: Scope, why = ''): SegmintError {
  const forms = takesBodyKey(scope)
    ? 'the Basic auth username (empty password), an X-Write-Key header, a "writeKey" field of a JSON body, or Authorization: Bearer'
    : 'the Basic auth username (empty password), an X-Write-Key header, or Authorization: Bearer (this route takes no key in its body)';
  return new SegmintError('unauthorized', `Missing API key${why}: send it as ${forms}. Create one with \`segmint keys create\`.`, undefined, 401);
}

/**
 * A Fastify hook that lets the request through only with a live key holding `scope` (admin holds
 * every scope). Missing or unknown key: 401; a key without the scope: 403; a key past its rate limit:
 * 429. Use it in route options as `{ preHandler: requireScope('read') }`; auth-order.ts moves it to
 * run before anything else about the request (onRequest, or preValidation for a key in the body).
 */
export function requireScope(scope: Scope) {
  const check = async function checkScope(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    req.requiredScope = scope;
    const presented = presentedKey(req, takesBodyKey(scope));
    if (presented === undefined) throw missingKey(scope);
    const info = await liveKey(req, presented);
    const { where } = presented;
    // Known before the scope check, so that a refused admin request is audited with its key.
    req.apiKey = info;
    if (!allows(info.scopes, scope)) {
      throw new SegmintError(
        'forbidden',
        `This key (${info.keyId}, sent as ${where}) lacks the "${scope}" scope that ${req.method} ${req.routeOptions.url ?? req.url} needs; it has: ${info.scopes.join(', ')}.`,
        { keyId: info.keyId, needed: scope, has: info.scopes },
        403,
      );
    }
    // Each key has its own rate limit besides its address's (a public browser key is shared by many).
    await req.server.segmint.limitKey(req, reply);
  };
  SCOPE_CHECKS.set(check, scope);
  return check;
}

/**
 * The stored key a request presents, whatever its scopes: 401 when it is unknown, revoked or expired.
 * Used by requireScope, and for a request to no route (auth-order.ts), where a key sent in a header is
 * judged before the answer "no such route".
 */
export async function liveKey(req: FastifyRequest, presented: { key: string; where: string }): Promise<ApiKeyInfo> {
  const cache = req.server.segmint.keyCache;
  const { key, where } = presented;
  const hash = hashKey(key);
  const now = Date.now();
  let info = cache.get(hash);
  if (!info || info.until < now) {
    const found = await findKey(req.server.segmint.store, key);
    if (!found) {
      cache.delete(hash);
      throw new SegmintError(
        'unauthorized',
        `The API key sent as ${where} is unknown or revoked (keys are listed by \`segmint keys list\` or GET /v1/keys).`,
        { where },
        401,
      );
    }
    info = { info: found, until: now + CACHE_MS };
    cache.set(hash, info);
  }
  if (isExpired(info.info, now)) {
    throw new SegmintError(
      'key_expired',
      `This API key (${info.info.keyId}) expired at ${info.info.expiresAt!.toISOString()}; create a new one (\`segmint keys create\`, POST /v1/keys).`,
      { keyId: info.info.keyId },
      401,
    );
  }
  return info.info;
}

const SCOPE_CHECKS = new WeakMap<object, Scope>();

/** Whether a hook is a scope check made by requireScope (see auth-order.ts). */
export function isScopeCheck(hook: unknown): boolean {
  return typeof hook === 'function' && SCOPE_CHECKS.has(hook);
}

/** The scope a check made by requireScope demands (undefined for any other hook). */
export function scopeOfCheck(hook: unknown): Scope | undefined {
  return typeof hook === 'function' ? SCOPE_CHECKS.get(hook) : undefined;
}
