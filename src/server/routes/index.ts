import type { FastifyPluginAsync } from 'fastify';
import { analyticsRoutes } from './analytics.js';
import { consentRoutes } from './consent.js';
import { customersRoutes } from './customers.js';
import { dashboardRoutes } from './dashboard.js';
import { dataRoutes } from './data.js';
import { experimentsRoutes } from './experiments.js';
import { fairnessRoutes } from './fairness.js';
import { healthRoutes } from './health.js';
import { ingestRoutes } from './ingest.js';
import { jobsRoutes } from './jobs.js';
import { keysRoutes } from './keys.js';
import { meRoutes } from './me.js';
import { predictionsRoutes } from './predictions.js';
import { privacyRoutes } from './privacy.js';
import { segmentMeasuresRoutes } from './segment-measures.js';
import { segmentsRoutes } from './segments.js';
import { vocabularyRoutes } from './vocabulary.js';
import { workflowsRoutes } from './workflows.js';
import { configRoutes } from './config.js';
import { realtimeRoutes } from './realtime.js';
import { webhooksRoutes } from './webhooks.js';
import { changesRoutes } from './changes.js';
import { workflowStepsRoutes } from './workflow-steps.js';

/**
 * Every route plugin buildApp registers. A plugin reaches the store as `app.segmint.store` and guards
 * its routes with `preHandler: requireScope('read' | 'write' | 'admin')` from ../auth.js; errors it
 * throws (SegmintError) become HTTP answers in ../errors.js.
 */
export const routePlugins: readonly FastifyPluginAsync[] = [
  healthRoutes,
  ingestRoutes,
  keysRoutes,
  segmentsRoutes,
  experimentsRoutes,
  segmentMeasuresRoutes,
  meRoutes,
  customersRoutes,
  analyticsRoutes,
  predictionsRoutes,
  dataRoutes,
  jobsRoutes,
  vocabularyRoutes,
  dashboardRoutes,
  workflowsRoutes,
  configRoutes,
  realtimeRoutes,
  webhooksRoutes,
  consentRoutes,
  changesRoutes,
  workflowStepsRoutes,
  privacyRoutes,
  fairnessRoutes,
];
