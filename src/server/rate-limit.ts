import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SegmintError } from '../domain/errors.js';
import type { HttpLimits } from './limits.js';

export interface RateRule {
  /** requests allowed per window */
  readonly max: number;
  readonly windowMs: number;
  /** what is limited, in the answer's words: "this address", "this API key", … */
  readonly what: string;
}

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * Registers the rate-limit machinery (@fastify/rate-limit's counting, kept in memory for at most
 * `rateTrackedClients` addresses and keys) and limits every request per peer address, before anything
 * else is done with it. Routes add per-key limits with `rateLimitBy`.
 */
export async function installRateLimits(app: FastifyInstance, limits: HttpLimits): Promise<void> {
  await app.register(rateLimit, { global: false, cache: limits.rateTrackedClients });
  app.addHook('onRequest', rateLimitBy(app, { max: limits.requestsPerAddress, windowMs: limits.rateWindowMs, what: 'this address' }, (req) => `ip:${req.ip}`));
}

/**
 * A hook that answers 429 with Retry-After once `keyOf(request)` has made `rule.max` requests in the
 * current window (fixed windows of rule.windowMs). One counter per rule: use it per API key after
 * requireScope (`keyOf: req => req.apiKey!.keyId`), or for any other grouping a feature needs.
 */
export function rateLimitBy(app: FastifyInstance, rule: RateRule, keyOf: (req: FastifyRequest) => string): Hook {
  const check = app.createRateLimit({ max: rule.max, timeWindow: rule.windowMs, keyGenerator: keyOf });
  return async (req, reply) => {
    const r = await check(req);
    if (r.isAllowed || !r.isExceeded) return;
    const retryAfter = Math.max(1, r.ttlInSeconds);
    void reply.header('retry-after', String(retryAfter));
    throw new SegmintError(
      'rate_limited',
      `Too many requests from ${rule.what}: at most ${rule.max} per ${Math.round(rule.windowMs / 1000)} s are accepted; retry after ${retryAfter} s (Retry-After header).`,
      { limit: rule.max, windowSeconds: Math.round(rule.windowMs / 1000), retryAfterSeconds: retryAfter, by: rule.what },
      429,
    );
  };
}
