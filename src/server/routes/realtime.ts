import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readReportMoment } from '../../analytics/asOf.js';
import { resolveCustomer } from '../../profiles/resolve-customer.js';
import { segmentChanges, type StreamedChange } from '../../realtime/changes.js';
import type { RecordedChange } from '../../realtime/index.js';
import { deliveryCounts } from '../../realtime/webhooks/manage.js';
import { customerSegments } from '../../segments/manage/customer-segments.js';
import { requireScope } from '../auth.js';
import { resumeAfter, STREAM_PAGE, streamChanges, wantsStream } from '../change-stream.js';
import { queryWhole } from './query-numbers.js';

const changeOut = z.object({
  cursor: z.string().describe('resume the stream after this change with ?after=CURSOR'),
  customerId: z.string(),
  change: z.enum(['entered', 'exited']),
  at: z.date().describe('the instant the change came true'),
  recordedAt: z.date(),
});

const liveSegmentsOut = z
  .object({
    customerId: z.string(),
    asOf: z.date().describe('now: the instant the engine answered at'),
    segments: z.array(z.object({ id: z.string(), name: z.string(), since: z.date() })).describe('the segments kept live that the customer is in now'),
    notLive: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          reason: z.string().describe('why the server does not keep it live (too costly, or not computable live)'),
          stored: z
            .object({
              member: z.boolean().describe('whether the customer was a member as of `asOf`'),
              since: z.date().nullable().describe('when they entered, as stored (null: not a member)'),
              asOf: z.date().describe('the moment of the last bulk refresh (`segmint segments refresh`)'),
            })
            .nullable()
            .describe('the last bulk refresh\'s answer, NOT live; null: never refreshed since its definition last changed'),
        }),
      )
      .describe('every saved segment the server does not keep live: `segments` cannot say whether the customer is in these now'),
  })
  .describe('the live answer, from memory');
const explainedOut = z
  .object({ customerId: z.string(), segments: z.array(z.unknown()) })
  .passthrough()
  .describe('with explain=true or asOf: every saved segment evaluated for the customer, with its explanation');

// Identifier → customer id, for identifiers other than customer ids. Safe to keep: an identifier only
// moves to another customer when its customer is merged away, and then the engine no longer knows the
// cached id, so it is looked up again.
const MAX_CACHED = 100_000;
const identifierCache = new Map<string, string>();

/**
 * Real-time segments over HTTP: a customer's segments now (answered from the engine's memory), a
 * segment's change stream (pages, or Server-Sent Events that stay open), and the engine's status.
 */
export const realtimeRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const read = { preHandler: requireScope('read') };
  const tags = ['real time'];
  const { store } = plain.segmint;

  app.get(
    '/v1/customers/:id/segments',
    {
      ...read,
      schema: {
        tags,
        summary: 'The segments a customer is in now, each with since when (any identifier: customer id, user id, email, external id)',
        description:
          'Answered from the real-time engine\'s memory: { customerId, asOf, segments[]: { id, name, since }, notLive[]: { id, name, reason, stored } }. ' +
          'Only segments kept live are in `segments`; every saved segment the server refused to keep live is in `notLive` with the reason, ' +
          'and `stored`, the customer\'s membership as of the last bulk refresh (not live; null when there is none). ' +
          'With explain=true or asOf, each saved segment the customer is in is evaluated with its explanation instead (the dashboard\'s ' +
          'customer page, `segments explain`): { customerId, segments[]: { segment, query, member, storedMember, refreshWouldRecord, asOf, changesAt, explanation } }.',
        params: z.object({ id: z.string().min(1) }),
        querystring: z.object({
          explain: z.enum(['true', 'false']).optional().describe('evaluate each segment with its explanation'),
          asOf: z.string().optional().describe("with explanations: evaluate as of this moment (default: each segment's last refresh)"),
        }),
        response: { 200: z.union([liveSegmentsOut, explainedOut]) },
      },
    },
    async (req) => {
      const engine = plain.segmint.realtime;
      if (!engine || req.query.explain === 'true' || req.query.asOf !== undefined) {
        const keptLive = engine ? (name: string) => engine.isLive(name) : undefined;
        return customerSegments(store, req.params.id, await readReportMoment(store, req.query.asOf, 'asOf'), keptLive ? { keptLive } : {});
      }
      const asked = req.params.id;
      let customerId = identifierCache.get(asked) ?? asked;
      let segments = engine.membershipsOf(customerId);
      if (!segments) {
        customerId = await resolveCustomer(store, asked);
        segments = engine.membershipsOf(customerId) ?? [];
        if (customerId !== asked) {
          if (identifierCache.size >= MAX_CACHED) identifierCache.delete(identifierCache.keys().next().value!);
          identifierCache.set(asked, customerId);
        }
      }
      const asOf = new Date(engine.clock.now());
      const live = segments.map((s) => ({ id: s.segmentId, name: s.name, since: s.since }));
      // Read from the store only after a write that can change it (NotLiveMembers); nothing while every segment is live.
      return { customerId, asOf, segments: live, notLive: await engine.notLiveOf(customerId) };
    },
  );

  app.get(
    '/v1/segments/:name/changes',
    {
      ...read,
      schema: {
        tags,
        summary: 'Entries and exits of a segment in the order recorded, from a cursor; with Accept: text/event-stream, a live stream',
        params: z.object({ name: z.string().min(1) }),
        querystring: z.object({
          after: z.string().optional().describe('the cursor of the last change seen; absent: from the beginning'),
          limit: queryWhole(1, 10_000).optional(),
        }),
        response: { 200: z.object({ segment: z.string(), changes: z.array(changeOut), next: z.string() }) },
      },
    },
    async (req, reply) => {
      const after = resumeAfter(req, req.query.after);
      if (!wantsStream(req)) {
        const page = await segmentChanges(store, req.params.name, after, req.query.limit ?? 1000);
        return { segment: req.params.name, changes: page.changes, next: page.next };
      }
      // Server-Sent Events: what was recorded after the cursor, then each change as it is recorded.
      const first = await segmentChanges(store, req.params.name, after, STREAM_PAGE);
      await streamChanges(plain, req, reply, {
        after,
        first: first.changes,
        page: async (from) => (await segmentChanges(store, req.params.name, from, STREAM_PAGE)).changes,
        pick: (c) => (c.segmentId === first.segmentId ? asStreamed(c) : undefined),
      });
    },
  );

  app.get(
    '/v1/realtime/status',
    { ...read, schema: { tags, summary: 'What the real-time engine holds: segments kept live and refused (with why), memory, webhook backlog' } },
    async () => {
      const engine = plain.segmint.realtime;
      return { ...(engine ? engine.status() : { running: false }), webhooks: await deliveryCounts(store) };
    },
  );
};

function asStreamed(c: RecordedChange): StreamedChange {
  return { cursor: String(c.seq), customerId: c.customerId, change: c.change, at: c.at, recordedAt: c.recordedAt };
}
