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
}

export const PAGES: readonly PageDef[] = [
  { id: 'overview', title: 'Overview', path: '', group: 'look', component: lazy(() => import('../pages/overview')) },
  { id: 'customers', title: 'Customers', path: 'customers', group: 'look', component: lazy(() => import('../pages/customers')) },
  { id: 'segments', title: 'Segments', path: 'segments', group: 'look', component: lazy(() => import('../pages/segments')) },
  { id: 'describe', title: 'Describe', path: 'describe', group: 'look', component: lazy(() => import('../pages/describe')) },
  { id: 'predict', title: 'Predict', path: 'predict', group: 'look', component: lazy(() => import('../pages/predict')) },
  { id: 'data', title: 'Data', path: 'data', group: 'look', component: lazy(() => import('../pages/data')) },
  { id: 'live', title: 'Live changes', path: 'live', group: 'act', component: lazy(() => import('../pages/live')) },
  { id: 'workflows', title: 'Workflows', path: 'workflows', group: 'act', component: lazy(() => import('../pages/workflows')) },
  { id: 'experiments', title: 'Experiments', path: 'experiments', group: 'act', component: lazy(() => import('../pages/experiments')) },
  { id: 'webhooks', title: 'Webhooks', path: 'webhooks', group: 'act', component: lazy(() => import('../pages/webhooks')) },
];

export function pageFor(route: Route): PageDef | undefined {
  return PAGES.find((p) => p.path === (route.parts[0] ?? ''));
}
