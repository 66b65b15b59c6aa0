import type { FastifyInstance, RouteOptions } from 'fastify';
import { isScopeCheck } from './auth.js';

type Hook = (...args: never[]) => unknown;

/**
 * Routes declare their key check as `preHandler: requireScope(...)`, but Fastify validates the body
 * and query before preHandler runs, so a caller without a key would learn the shape of a request (a
 * 400 naming fields) before being refused. This moves every scope check to preValidation: after the
 * body is parsed (a Segment write key may travel in it), before anything about the request is checked.
 * Call before the route plugins.
 */
export function checkKeysBeforeValidation(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const pre = ([route.preHandler] as unknown[]).flat().filter((h): h is Hook => typeof h === 'function');
    const checks = pre.filter(isScopeCheck);
    if (checks.length === 0) return;
    const validation = ([route.preValidation] as unknown[]).flat().filter((h): h is Hook => typeof h === 'function');
    route.preHandler = pre.filter((h) => !isScopeCheck(h)) as RouteOptions['preHandler'];
    route.preValidation = [...checks, ...validation] as RouteOptions['preValidation'];
  });
}
