import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { allChanges, type NamedChange } from '../../realtime/changes.js';
import { resumeAfter, STREAM_PAGE, streamChanges, wantsStream } from '../change-stream.js';
import { routeKit } from './kit.js';
import { queryWhole } from './query-numbers.js';

const changeOut = z.object({
  cursor: z.string().describe('resume after this change with ?after=CURSOR'),
  segment: z.string().nullable().describe('null when the segment has been deleted since'),
  customerId: z.string(),
  change: z.enum(['entered', 'exited']),
  at: z.date().describe('the instant the change came true'),
  recordedAt: z.date(),
});

/**
 * GET /v1/changes: the change stream of every saved segment at once (or of one, ?segment=NAME), as
 * pages from a cursor, the latest N (`?latest=N`, where a live view starts), or Server-Sent Events that
 * stay open. The dashboard's live page reads it: one connection for every segment, where a browser could
 * hold only six per-segment streams at once. Read scope.
 */
export const changesRoutes: FastifyPluginAsync = async (plain) => {
  const { app, store, read } = routeKit(plain);
  app.get(
    '/v1/changes',
    {
      ...read,
      schema: {
        tags: ['real time'],
        summary: 'Entries and exits of every segment (or ?segment=NAME) in the order recorded; the latest N; with Accept: text/event-stream, a live stream',
        querystring: z.object({
          after: z.string().optional().describe('the cursor of the last change seen; absent: from the beginning'),
          latest: queryWhole(1, 1000).optional().describe('instead of after: the last N changes recorded, oldest first'),
          segment: z.string().min(1).optional().describe("only this segment's changes"),
          limit: queryWhole(1, 10_000).optional(),
        }),
        response: { 200: z.object({ changes: z.array(changeOut), next: z.string() }) },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const after = resumeAfter(req, q.after);
      const segment = q.segment === undefined ? {} : { segment: q.segment };
      // `latest` is where a view starts; a cursor (after, or a reconnecting stream's Last-Event-ID) wins.
      const latest = q.latest !== undefined && after === 0 && q.after === undefined ? { latest: q.latest } : {};
      if (!wantsStream(req)) {
        const page = await allChanges(store, { after, limit: q.limit ?? 1000, ...segment, ...latest });
        return { changes: page.changes, next: page.next };
      }
      // The stream starts as the page would: after the cursor, or with the latest N (fewer than a page,
      // so the live changes follow them at once).
      const first = await allChanges(store, { after, limit: STREAM_PAGE, ...segment, ...latest });
      await streamChanges<NamedChange>(plain, req, reply, {
        after,
        first: first.changes,
        page: async (from) => (await allChanges(store, { after: from, limit: STREAM_PAGE, ...segment })).changes,
        pick: (c) => {
          if (first.segmentId !== undefined && c.segmentId !== first.segmentId) return undefined;
          return { cursor: String(c.seq), segment: c.segment, customerId: c.customerId, change: c.change, at: c.at, recordedAt: c.recordedAt };
        },
      });
    },
  );
};
