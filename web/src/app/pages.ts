import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Route } from './router';

export interface PageProps {
  route: Route;
}

/**
 * One entry of the navigation. A page lives in its own folder, src/pages/<id>/, whose index.tsx
 * default-exports the page component; it is loaded only when first opened (its own bundle chunk).
 */
export interface PageDef {
  id: string;
  title: string;
  /** first part of the address: `#/<path>/…`; '' for the overview */
  path: string;
  group: 'look' | 'act';
  component: LazyExoticComponent<ComponentType<PageProps>>;
  /**
   * For capabilities that arrive later: the API paths (prefixes) the page reads. The entry is shown as
   * "coming" until the server's OpenAPI document holds one of them.
   */
  api?: readonly string[];
  /** what the page will show, for the "coming" state */
  capability?: string;
}

const upcoming = lazy(() => import('../pages/upcoming'));

export const PAGES: readonly PageDef[] = [
  { id: 'overview', title: 'Overview', path: '', group: 'look', component: lazy(() => import('../pages/overview')) },
  { id: 'customers', title: 'Customers', path: 'customers', group: 'look', component: lazy(() => import('../pages/customers')) },
  { id: 'segments', title: 'Segments', path: 'segments', group: 'look', component: lazy(() => import('../pages/segments')) },
  { id: 'describe', title: 'Describe', path: 'describe', group: 'look', component: lazy(() => import('../pages/describe')) },
  { id: 'predict', title: 'Predict', path: 'predict', group: 'look', component: lazy(() => import('../pages/predict')) },
  { id: 'data', title: 'Data', path: 'data', group: 'look', component: lazy(() => import('../pages/data')) },
  // Capabilities built on other branches: replace `upcoming` with the page's own folder when it lands.
  {
    id: 'live',
    title: 'Live changes',
    path: 'live',
    group: 'act',
    component: upcoming,
    api: ['/v1/changes', '/v1/segments/changes', '/v1/stream', '/v1/realtime'],
    capability: 'membership changes streaming in as customers enter and leave segments (real-time engine)',
  },
  {
    id: 'workflows',
    title: 'Workflows',
    path: 'workflows',
    group: 'act',
    component: upcoming,
    api: ['/v1/workflows'],
    capability: 'workflows with per-step counts and their runs',
  },
  {
    id: 'experiments',
    title: 'Experiments',
    path: 'experiments',
    group: 'act',
    component: lazy(() => import('../pages/experiments')),
    api: ['/v1/experiments', '/v1/measure'],
    capability: 'experiments with lifts and intervals (measurement)',
  },
  {
    id: 'webhooks',
    title: 'Webhooks',
    path: 'webhooks',
    group: 'act',
    component: upcoming,
    api: ['/v1/webhooks'],
    capability: 'webhook deliveries: what was sent where, and what came back',
  },
];

/** Whether the server offers the API a page needs (pages without `api` always are). */
export function apiPresent(page: PageDef, paths: ReadonlySet<string>): boolean {
  if (!page.api) return true;
  return [...paths].some((p) => page.api!.some((prefix) => p === prefix || p.startsWith(prefix + '/')));
}

export function pageFor(route: Route): PageDef | undefined {
  return PAGES.find((p) => p.path === (route.parts[0] ?? ''));
}
