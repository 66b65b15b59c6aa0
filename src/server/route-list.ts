import type { FastifyInstance } from 'fastify';

/**
 * One route of the app: method and URL pattern, whether it is hidden from the OpenAPI document, and the
 * names of the query and body fields its schema declares (tests send hostile strings in each).
 */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly hidden: boolean;
  readonly query: readonly string[];
  readonly body: readonly string[];
  /** the zod schema of its query string, when it declares one (test/server/query-numbers.test.ts walks them) */
  readonly querySchema?: unknown;
}

/** The field names of a zod object schema (a route's querystring or body), or none. */
function fieldsOf(schema: unknown): string[] {
  const shape = (schema as { shape?: unknown } | undefined)?.shape;
  return shape !== null && typeof shape === 'object' ? Object.keys(shape) : [];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** every route registered, in order (the authorisation matrix test walks them all) */
    routeList: readonly RouteEntry[];
  }
}

/** Records every route the app registers from now on; call before the route plugins. */
export function collectRoutes(app: FastifyInstance): void {
  const list: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    const schema = r.schema as { hide?: boolean; querystring?: unknown; body?: unknown } | undefined;
    for (const method of [r.method].flat()) {
      list.push({ method, url: r.url, hidden: schema?.hide === true, query: fieldsOf(schema?.querystring), body: fieldsOf(schema?.body), querySchema: schema?.querystring });
    }
  });
  app.decorate('routeList', list);
}
