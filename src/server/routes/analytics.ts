import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { routeKit } from './kit.js';
import { parseReportMoment, readReportMoment, reportTimeZone, resolveAsOf } from '../../analytics/asOf.js';
import { runClusters } from '../../analytics/clusters/runClusters.js';
import { savedClusters } from '../../analytics/clusters/saved.js';
import { runCohorts } from '../../analytics/cohorts/cohorts.js';
import { overview } from '../../analytics/overview/overview.js';
import { segmentOverlap } from '../../analytics/overlap/segmentOverlap.js';
import { rfmGrid } from '../../analytics/rfm/grid.js';
import { defaultGroupTable } from '../../analytics/rfm/groups.js';
import { rfmMovementReport } from '../../analytics/rfm/movement.js';
import { runRfm } from '../../analytics/rfm/rfm.js';

/**
 * Describe: the overview, RFM, cohorts, clusters and segment overlap, as `segmint overview`, `rfm`,
 * `rfm grid`, `rfm movement`, `cohorts`, `clusters` and `segments overlap` give them. Reads need the
 * read scope and write nothing; saving a new RFM snapshot or clustering needs admin.
 */
const tags = ['analytics'];
const asOf = z.string().optional().describe('a date (midnight at its start in the workspace time zone) or a datetime (UTC unless it has an offset); default: midnight after the day of the latest order in that zone');
const bins = z.enum(['5', '3']).optional().describe('RFM score bins (default 5)');

export const analyticsRoutes: FastifyPluginAsync = async (plain) => {
  const { app, store, read, admin, jobs } = routeKit(plain);

  app.get(
    '/v1/overview',
    {
      ...read,
      schema: {
        tags,
        summary: 'The shop at a glance (`overview --json`): counts, revenue windows, segment sizes over time, quality warnings',
        querystring: z.object({ asOf, quality: z.enum(['true', 'false']).optional().describe('false leaves out the data-quality checks (warnings: null)') }),
      },
    },
    async (req) => overview(store, await readReportMoment(store, req.query.asOf, 'asOf'), { quality: req.query.quality !== 'false' }),
  );

  app.get(
    '/v1/rfm',
    {
      ...read,
      schema: {
        tags,
        summary: 'RFM group sizes and score distributions as of a moment, computed without saving (`rfm --no-save --json`)',
        querystring: z.object({ asOf, bins, customer: z.string().optional().describe('also show one customer (any identifier)') }),
      },
    },
    async (req) => {
      const at = await resolveAsOf(store, req.query.asOf, 'asOf');
      return runRfm(store, { asOf: at, table: defaultGroupTable(req.query.bins === '3' ? 3 : 5), save: false, customer: req.query.customer });
    },
  );

  app.post(
    '/v1/rfm',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Score everyone and save the snapshot the rfm.* segment fields read (`rfm --json`)',
        body: z.object({ asOf, bins }).optional(),
      },
    },
    async (req) => {
      const at = await resolveAsOf(store, req.body?.asOf, 'asOf');
      return runRfm(store, { asOf: at, table: defaultGroupTable(req.body?.bins === '3' ? 3 : 5), save: true });
    },
  );

  app.get(
    '/v1/rfm/grid',
    { ...read, schema: { tags, summary: 'Recency × frequency grid of the saved RFM snapshot with mean monetary value (`rfm grid --json`)' } },
    async () => rfmGrid(store),
  );

  app.get(
    '/v1/rfm/movement',
    {
      ...read,
      schema: {
        tags,
        summary: 'Customers moving between RFM groups from one moment to another (`rfm movement --json`)',
        querystring: z.object({ from: z.string().describe('the first moment: a date (YYYY-MM-DD, midnight in the workspace time zone) or an ISO time'), to: z.string().describe('the second moment: a date (YYYY-MM-DD, midnight in the workspace time zone) or an ISO time'), bins }),
      },
    },
    async (req) => {
      const tz = await reportTimeZone(store);
      return rfmMovementReport(store, parseReportMoment(req.query.from, tz, 'from'), parseReportMoment(req.query.to, tz, 'to'), defaultGroupTable(req.query.bins === '3' ? 3 : 5));
    },
  );

  app.get(
    '/v1/cohorts',
    {
      ...read,
      schema: {
        tags,
        summary: 'Acquisition cohorts by month or week of first order, every metric of every cell (`cohorts --json`)',
        querystring: z.object({
          by: z.enum(['month', 'week']).optional(),
          metric: z.enum(['customers', 'revenue', 'orders']).optional().describe('the grid the CLI would print; every metric is in the answer'),
        }),
      },
    },
    async (req) => ({ metric: req.query.metric ?? 'customers', ...(await runCohorts(store, req.query.by ?? 'month')) }),
  );

  app.get(
    '/v1/clusters',
    { ...read, schema: { tags, summary: 'The last saved clustering with its cluster profiles (what `clusters --json` printed when it ran)' } },
    async () => savedClusters(store),
  );

  app.post(
    '/v1/clusters',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Find clusters (k-means, k chosen by silhouette unless given) and save them; answers 202 with a job to follow',
        body: z
          .object({
            k: z.union([z.literal('auto'), z.number().int().min(1)]).optional(),
            seed: z.number().int().min(0).optional(),
            asOf,
          })
          .optional(),
      },
    },
    async (req, reply) => {
      const at = await resolveAsOf(store, req.body?.asOf, 'asOf');
      const job = jobs.start('clusters', ['clustering'], req, async () =>
        runClusters(store, { asOf: at, k: req.body?.k ?? 'auto', seed: req.body?.seed ?? 42, save: true }),
      );
      return reply.code(202).send(job);
    },
  );

  app.get(
    '/v1/overlap',
    { ...read, schema: { tags: ['segments'], summary: 'Pairwise overlap of all saved segments: customers in both, Jaccard index (`segments overlap --json`)' } },
    async () => segmentOverlap(store),
  );
};
