import type { FastifyInstance } from 'fastify';

/** One route of the app: method and URL pattern, and whether it is hidden from the OpenAPI document. */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly hidden: boolean;
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
    for (const method of [r.method].flat()) list.push({ method, url: r.url, hidden: (r.schema as { hide?: boolean } | undefined)?.hide === true });
  });
  app.decorate('routeList', list);
}
