import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditScores } from '../../analytics/fairness/audit-scores.js';
import { auditSegment } from '../../analytics/fairness/audit-segment.js';
import { readCutoff } from '../../predict/propensity/time.js';
import { requireScope } from '../auth.js';
import { queryWhole } from './query-numbers.js';

/** The fairness audits over HTTP (docs/fairness.md), read scope: counts and rates per group, no one's data. */
export const fairnessRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const store = plain.segmint.store;
  const read = { preHandler: requireScope('read') };
  const tags = ['fairness'];
  const by = z.string().min(1).max(1000).describe('comma-separated traits (country) or metrics in bins (total_spent, orders_count:5)');
  const minGroup = queryWhole(1, 1_000_000).optional().describe('groups with fewer customers are not compared one by one (default 30)');

  app.get(
    '/v1/segments/:name/audit',
    {
      ...read,
      schema: {
        tags,
        summary: "A segment's composition per group: representation ratio, four-fifths rule, chi-squared test, flags in words",
        params: z.object({ name: z.string().min(1) }),
        querystring: z.object({ by, minGroup }),
      },
    },
    async (req) =>
      auditSegment(store, req.params.name, req.query.by, { minGroup: req.query.minGroup, live: plain.segmint.realtime?.isLive(req.params.name) === true ? 'kept' : 'not-kept' }),
  );

  app.get(
    '/v1/propensity/audit',
    {
      ...read,
      schema: {
        tags,
        summary: 'Purchase and churn scores per group on a time split: calibration, AUC, and the gap between groups',
        querystring: z.object({
          by,
          minGroup,
          cutoff: z.string().optional().describe('training cutoff, default: the last order minus twice the horizon'),
          horizon: queryWhole(1, 730).optional().describe('purchase horizon in days (default 30)'),
        }),
      },
    },
    async (req) =>
      auditScores(store, req.query.by, {
        minGroup: req.query.minGroup,
        horizonDays: req.query.horizon,
        cutoff: await readCutoff(store, req.query.cutoff, 'cutoff'),
      }),
  );
};
