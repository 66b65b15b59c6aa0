import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkSegmentHealth } from '../../measure/health/check.js';
import { kpiRange } from '../../measure/kpis/days.js';
import { segmentKpis } from '../../measure/kpis/read.js';
import { parseReportMoment, reportTimeZone } from '../../analytics/asOf.js';
import { SegmintError } from '../../domain/errors.js';
import { requireScope } from '../auth.js';
import { queryWhole, queryDecimal } from './query-numbers.js';

/**
 * Segment KPIs over time and segment health, as `segmint segments kpis|health`: read scope. Days not
 * yet stored are computed (and kept) on the first request that covers them.
 */
export const segmentMeasuresRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const store = plain.segmint.store;
  const read = { preHandler: requireScope('read') };
  const tags = ['segments'];
  const range = {
    from: z.string().optional().describe('first day, in the workspace time zone (default 29 days before to)'),
    to: z.string().optional().describe('last day, in the workspace time zone (default yesterday)'),
  };

  app.get(
    '/v1/segments/:name/kpis',
    { ...read, schema: { tags, summary: 'Daily KPIs of a segment', params: z.object({ name: z.string().min(1) }), querystring: z.object(range) } },
    async (req) => {
      const { from, to } = kpiRange(req.query.from, req.query.to, await reportTimeZone(store));
      return (await segmentKpis(store, [req.params.name], from, to))[0];
    },
  );

  app.get(
    '/v1/segment-kpis',
    { ...read, schema: { tags, summary: 'Daily KPIs of several segments, side by side', querystring: z.object({ segments: z.string().describe('comma-separated names'), ...range }) } },
    async (req) => {
      const names = req.query.segments.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (names.length === 0) throw new SegmintError('invalid_request', 'segments: name at least one segment.', { field: 'segments' });
      const { from, to } = kpiRange(req.query.from, req.query.to, await reportTimeZone(store));
      return segmentKpis(store, names, from, to);
    },
  );

  app.get(
    '/v1/segment-health',
    {
      ...read,
      schema: {
        tags,
        summary: 'Warnings about saved segments: too small, near-duplicates, stale, forgotten, over-segmentation',
        querystring: z.object({
          minSize: queryWhole(0).optional(),
          minShare: queryDecimal(0, 1).optional(),
          staleDays: queryWhole(1, 3650).optional(),
          forgottenDays: queryWhole(1).optional(),
          asOf: z.string().optional().describe('check as of this moment (default now); a date alone is midnight in the workspace time zone'),
        }),
      },
    },
    async (req) => {
      const q = req.query;
      return checkSegmentHealth(store, {
        ...(q.minSize !== undefined ? { minSize: q.minSize } : {}),
        ...(q.minShare !== undefined ? { minShare: q.minShare } : {}),
        ...(q.staleDays !== undefined ? { staleDays: q.staleDays } : {}),
        ...(q.forgottenDays !== undefined ? { forgottenDays: q.forgottenDays } : {}),
      }, parseReportMoment(q.asOf, await reportTimeZone(store), 'asOf'));
    },
  );
};
