import type { FastifyPluginAsync } from 'fastify';
import { configRoutes } from './config.js';
import { experimentsRoutes } from './experiments.js';
import { fairnessRoutes } from './fairness.js';
import { healthRoutes } from './health.js';
import { ingestRoutes } from './ingest.js';
import { keysRoutes } from './keys.js';
import { privacyRoutes } from './privacy.js';
import { segmentMeasuresRoutes } from './segment-measures.js';
import { segmentsRoutes } from './segments.js';

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
  privacyRoutes,
  configRoutes,
  fairnessRoutes,
];
