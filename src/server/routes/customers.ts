import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { routeKit } from './kit.js';
import { rangeWords } from '../../domain/whole-number.js';
import { readMoment, readReportMoment } from '../../analytics/asOf.js';
import { explainCustomer } from '../../predict/explain/explain-customer.js';
import { readCutoff } from '../../predict/propensity/time.js';
import { recommendProducts } from '../../predict/recommend/recommend-customer.js';
import { customerProfile } from '../../profiles/profile.js';
import { listJson } from '../../profiles/render.js';
import { customerScores } from '../../profiles/scores.js';
import { SEARCH_LIMIT_MAX, searchCustomers } from '../../profiles/search.js';
import { customerTimeline } from '../../profiles/timeline.js';
import { customerStats } from '../../store/queries/metrics.js';
import { listCustomers } from '../../store/queries/profiles.js';
import { queryWhole } from './query-numbers.js';

/**
 * /v1/customers: the reads of `segmint customers` (stats, list, show, explain) and `segmint recommend`,
 * plus search by any identifier and the parts of the dashboard's profile page (stored scores, segments
 * with explanations, timeline). Read scope. Each handler calls the function the CLI calls.
 */
const id = z.object({ id: z.string().min(1).describe('customer id, email, user id, anonymous id or external id') });
const tags = ['customers'];

export const customersRoutes: FastifyPluginAsync = async (plain) => {
  const { app, store, read } = routeKit(plain);

  app.get(
    '/v1/customers',
    {
      ...read,
      schema: {
        tags,
        summary: 'Customers by net spend (`customers list`), or those matching q: any identifier, or the start of one or of a name',
        querystring: z
          .object({
            q: z.string().optional().describe('search text: email, user id, anonymous id, order id, customer id, or the start of one or of a name'),
            // One schema serves both answers, so it holds the list's bound; a search's smaller bound is
            // checked below, so that its refusal is a 400 in the same words as every query parameter's.
            limit: queryWhole(1, 1000).optional().describe(`rows to return (default 20): 1 to 1,000 for the list, 1 to ${SEARCH_LIMIT_MAX} with q`),
            offset: queryWhole(0).optional(),
          })
          .superRefine((query, ctx) => {
            if (query.q !== undefined && query.limit !== undefined && query.limit > SEARCH_LIMIT_MAX) {
              ctx.addIssue({ code: 'custom', path: ['limit'], message: `accepted: a whole number ${rangeWords(1, SEARCH_LIMIT_MAX)} with "q" (${rangeWords(1, 1000)} without)` });
            }
          }),
      },
    },
    async (req) => {
      const { q, limit, offset } = req.query;
      if (q !== undefined) return searchCustomers(store, q, limit ?? 20);
      return { customers: listJson(await listCustomers(store, limit ?? 20, offset ?? 0)) };
    },
  );

  app.get(
    '/v1/customers/stats',
    {
      ...read,
      schema: {
        tags,
        summary: 'Headline counts (`customers stats`)',
        response: { 200: z.object({ customers: z.number(), customers_with_orders: z.number(), orders: z.number(), net_revenue: z.number() }) },
      },
    },
    async () => customerStats(store),
  );

  app.get(
    '/v1/customers/:id',
    {
      ...read,
      schema: {
        tags,
        summary: 'One customer: traits, identities, metrics, consent, recent events (`customers show --json`)',
        params: id,
        querystring: z.object({ asOf: z.string().optional().describe('time days_since_last_order is counted to (a date alone: midnight in the workspace time zone); default now') }),
        description: 'Answer: { customer_id, created_at, updated_at, traits, identities[], metrics (without orders: 0 orders, 0 spent, no dates, as segments read them), as_of, warnings[] (metrics counting orders after as_of), consent[], recent_events[] }.',
      },
    },
    async (req) => customerProfile(store, req.params.id, await readMoment(store, req.query.asOf, 'asOf')),
  );

  app.get(
    '/v1/customers/:id/scores',
    {
      ...read,
      schema: {
        tags,
        summary: 'Stored scores of one customer: RFM cell, CLV, P(alive), churn band, next order date, propensity, cluster',
        params: id,
        description: 'Answer: { customer_id, rfm, clv, propensity[], cluster }; a part is null until the analysis that writes it has run.',
      },
    },
    async (req) => customerScores(store, req.params.id),
  );

  app.get(
    '/v1/customers/:id/explain',
    {
      ...read,
      schema: {
        tags,
        summary: 'Why the customer has their scores, in plain words (`customers explain --json`)',
        params: id,
        querystring: z.object({ asOf: z.string().optional().describe('a date (midnight at its start in the workspace time zone) or a time (UTC unless it has an offset); default: midnight after the day of the latest order') }),
      },
    },
    async (req) => explainCustomer(store, req.params.id, await readReportMoment(store, req.query.asOf, 'asOf')),
  );

  app.get(
    '/v1/customers/:id/timeline',
    {
      ...read,
      schema: {
        tags,
        summary: 'Orders, refunds and events of one customer, newest first, a page at a time',
        params: id,
        querystring: z.object({
          before: z.string().optional().describe('next_before of the previous page (a page token), or a date or time: only items older'),
          limit: queryWhole(1, 500).optional(),
        }),
        description: 'Answer: { customer_id, items[] (kind order | refund | event, at, …), next_before }.',
      },
    },
    async (req) =>
      customerTimeline(store, req.params.id, {
        ...(req.query.before !== undefined ? { before: req.query.before } : {}),
        ...(req.query.limit !== undefined ? { limit: req.query.limit } : {}),
      }),
  );

  app.get(
    '/v1/customers/:id/recommendations',
    {
      ...read,
      schema: {
        tags: ['predictions'],
        summary: 'Products the customer is likely to want next (`recommend ID --json`)',
        params: id,
        querystring: z.object({ n: queryWhole(1, 100).optional(), asOf: z.string().optional().describe('learn only from orders up to this time') }),
      },
    },
    async (req) =>
      recommendProducts(store, req.params.id, {
        n: req.query.n ?? 10,
        asOf: await readCutoff(store, req.query.asOf, 'asOf'),
      }),
  );
};
