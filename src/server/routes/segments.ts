import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readMoment } from '../../analytics/asOf.js';
import { createSegment, deleteSegment, getSegment, listSegments, updateSegment, type LiveOptions } from '../../segments/manage/crud.js';
import type { DefinitionInput } from '../../segments/manage/definition.js';
import { explainMembership } from '../../segments/manage/explain.js';
import { exportSegment, exportSummaryLine } from '../../segments/manage/export.js';
import { segmentHistory, segmentMembers } from '../../segments/manage/history.js';
import { segmentTrends } from '../../segments/manage/trend.js';
import { previewSegment } from '../../segments/manage/preview.js';
import { refreshSegments, refreshWarnings } from '../../segments/manage/refresh.js';
import { SegmintError } from '../../domain/errors.js';
import { requireScope } from '../auth.js';
import { settleWrites } from '../realtime.js';
import { queryWhole } from './query-numbers.js';
import { sendConsentCsv } from '../consent-csv.js';

/**
 * /v1/segments: the same operations as `segmint segments`. Reading, previewing, explaining and exporting
 * need the read scope; creating, changing, deleting and refreshing need admin. Handlers only translate
 * HTTP to the management functions; SegmintErrors they throw become 4xx in the app's error handler.
 */
const definitionFields = {
  query: z.string().optional().describe('the definition in the segment language'),
  definition: z.unknown().optional().describe('the definition as its JSON form (docs/segment-language.md)'),
};
const asOf = z.string().optional().describe('date (midnight in the workspace time zone) or datetime (UTC unless an offset is given); default now');
const name = z.object({ name: z.string().min(1) });

const segmentOut = z
  .object({
    id: z.string(),
    name: z.string(),
    query: z.string(),
    definition: z.unknown(),
    description: z.string().nullable(),
    notes: z.string().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
    refreshedAt: z.date().nullable(),
    refreshedAsOf: z.date().nullable(),
    members: z.number().describe('members stored, as of membersAsOf'),
    membersSource: z
      .enum(['live', 'server', 'refresh', 'none'])
      .describe('what the stored members are: live (kept live by this server, now), server (written by a server that kept it live, current up to membersAsOf), refresh (the last refresh), none (never counted)'),
    membersAsOf: z.date().nullable().describe('the moment the stored members describe (null: never counted)'),
    membersStale: z.boolean().describe('the definition changed after the stored members were written: they are the old definition\'s until a refresh'),
    notKeptLive: z.object({ reason: z.string(), at: z.date() }).nullable().describe('why the last running server refused to keep it live, and when (null: it did not)'),
    definitionChangedAt: z.date().nullable().describe('when the definition last changed (null: never); stored members from before it are the old definition\'s until a refresh'),
  })
  .describe('a saved segment');

function definitionOf(body: { query?: string | undefined; definition?: unknown }, required: boolean): DefinitionInput | undefined {
  if (body.query !== undefined && body.definition !== undefined) {
    throw new SegmintError('definition_twice', 'Give either query or definition, not both.', { field: 'definition' });
  }
  if (body.query !== undefined) return { query: body.query };
  if (body.definition !== undefined) return { json: body.definition, origin: 'definition' };
  if (required) throw new SegmintError('definition_missing', 'Give the definition as query (text) or definition (JSON).', { field: 'query' });
  return undefined;
}

export const segmentsRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const store = plain.segmint.store;
  const admin = { preHandler: requireScope('admin') };
  const read = { preHandler: requireScope('read') };
  const tags = ['segments'];
  // What stored counts describe: this server's engine says which segments it keeps live.
  const live = (): LiveOptions => {
    const engine = plain.segmint.realtime;
    return { keptLive: (n: string) => engine?.isLive(n) === true };
  };

  app.get(
    '/v1/segments',
    {
      ...read,
      schema: {
        tags,
        summary: 'List segments; with trend=true each also has change7d and its size after every refresh (series)',
        querystring: z.object({ trend: z.enum(['true', 'false']).optional() }),
      },
    },
    async (req) => {
      const list = await listSegments(store, live());
      if (req.query.trend !== 'true') return list;
      const trends = new Map((await segmentTrends(store)).map((t) => [t.name, t]));
      return list.map((s) => ({ ...s, change7d: trends.get(s.name)?.change7d ?? null, series: trends.get(s.name)?.series ?? [] }));
    },
  );

  app.post(
    '/v1/segments',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Create a segment',
        body: z.object({ name: z.string(), ...definitionFields, description: z.string().nullable().optional(), notes: z.string().nullable().optional() }),
        response: { 201: segmentOut },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const s = await createSegment(store, { name: b.name, definition: definitionOf(b, true)!, description: b.description ?? null, notes: b.notes ?? null });
      // The live engine takes the new definition in first: the answer counts its members.
      await settleWrites(req, plain.segmint.realtime);
      return reply.code(201).send(await getSegment(store, s.name, live()));
    },
  );

  app.post(
    '/v1/segments/preview',
    {
      ...read,
      schema: {
        tags,
        summary: 'Count a definition without saving it: size, share, sample and warnings',
        body: z.object({
          ...definitionFields,
          asOf,
          sample: z.number().int().min(0).max(100).optional(),
          minSize: z.number().int().min(0).optional(),
          minShare: z.number().min(0).max(1).optional(),
          self: z.string().optional().describe('name of the saved segment being edited, not reported as its own duplicate'),
        }),
      },
    },
    async (req) => {
      const b = req.body;
      const p = await previewSegment(store, definitionOf(b, true)!, {
        asOf: await readMoment(store, b.asOf, 'asOf'),
        ...(b.sample !== undefined ? { sampleSize: b.sample } : {}),
        warnings: { ...(b.minSize !== undefined ? { minSize: b.minSize } : {}), ...(b.minShare !== undefined ? { minShare: b.minShare } : {}) },
        ...(b.self !== undefined ? { self: b.self } : {}),
      });
      return p;
    },
  );

  app.post(
    '/v1/segments/refresh',
    { ...admin, schema: { tags, summary: 'Refresh all segments (or one) in dependency order', body: z.object({ name: z.string().optional(), asOf }).optional() } },
    async (req) => {
      const at = await readMoment(store, req.body?.asOf, 'asOf');
      const engine = plain.segmint.realtime;
      const results = await refreshSegments(store, {
        asOf: at,
        ...(req.body?.name !== undefined ? { name: req.body.name } : {}),
        ...(engine ? { keptLive: (n: string) => engine.isLive(n) } : {}),
      });
      // A live segment may refer to one the refresh just changed: its count is read after the engine saw that.
      await settleWrites(req, engine);
      const live = results.some((r) => r.live) ? new Map((await listSegments(store)).map((s) => [s.name, s.members])) : undefined;
      return { asOf: at, segments: results.map((r) => (r.live && live?.has(r.name) ? { ...r, members: live.get(r.name)! } : r)), warnings: refreshWarnings(results) };
    },
  );

  app.get('/v1/segments/:name', { ...read, schema: { tags, summary: 'Show a segment', params: name, response: { 200: segmentOut } } }, async (req) =>
    getSegment(store, req.params.name, live()),
  );

  app.patch(
    '/v1/segments/:name',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Update a segment',
        params: name,
        body: z.object({ name: z.string().optional(), ...definitionFields, description: z.string().nullable().optional(), notes: z.string().nullable().optional() }),
        response: { 200: segmentOut },
      },
    },
    async (req) => {
      const b = req.body;
      const definition = definitionOf(b, false);
      const s = await updateSegment(store, req.params.name, {
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(definition ? { definition } : {}),
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(b.notes !== undefined ? { notes: b.notes } : {}),
      });
      await settleWrites(req, plain.segmint.realtime);
      return getSegment(store, s.name, live());
    },
  );

  app.delete('/v1/segments/:name', { ...admin, schema: { tags, summary: 'Delete a segment, its members and history', params: name } }, async (req, reply) => {
    await deleteSegment(store, req.params.name);
    return reply.code(204).send();
  });

  app.get(
    '/v1/segments/:name/members',
    {
      ...read,
      schema: {
        tags,
        summary: 'Members: now when the server keeps the segment live, else as of the last refresh (source, asOf)',
        params: name,
        querystring: z.object({ limit: queryWhole(1, 100_000).optional(), offset: queryWhole(0).optional() }),
      },
    },
    async (req) => segmentMembers(store, req.params.name, { ...req.query, live: plain.segmint.realtime?.isLive(req.params.name) === true ? 'kept' : 'not-kept' }),
  );

  app.get(
    '/v1/segments/:name/history',
    {
      ...read,
      schema: {
        tags,
        summary: 'Entries and exits recorded by refreshes',
        params: name,
        querystring: z.object({
          changes: z.enum(['true', 'false']).optional(),
          customer: z.string().optional(),
          limit: queryWhole(1, 100_000).optional(),
        }),
      },
    },
    async (req) =>
      segmentHistory(store, req.params.name, {
        changes: req.query.changes === 'true',
        ...(req.query.customer !== undefined ? { customer: req.query.customer } : {}),
        ...(req.query.limit !== undefined ? { limit: req.query.limit } : {}),
      }),
  );

  app.get(
    '/v1/segments/:name/explain/:customer',
    {
      ...read,
      schema: { tags, summary: 'Why a customer (any identifier) is or is not a member', params: z.object({ name: z.string().min(1), customer: z.string().min(1) }), querystring: z.object({ asOf }) },
    },
    async (req) => explainMembership(store, req.params.name, req.params.customer, await readMoment(store, req.query.asOf, 'asOf'), { keptLive: plain.segmint.realtime?.isLive(req.params.name) === true }),
  );

  app.get(
    '/v1/segments/:name/export',
    {
      ...read,
      schema: {
        tags,
        summary: 'Members as CSV, or an ads audience of hashed emails',
        params: name,
        querystring: z.object({
          fields: z.string().optional().describe('comma-separated fields'),
          audience: z.enum(['true', 'false']).optional(),
          channel: z.enum(['email', 'sms', 'push', 'ads', 'none']).optional().describe('the channel the file is for, added to those its contact details imply (ads for an audience, email for email, sms for phone); none only for a file without contact details'),
          unknownConsent: z.enum(['exclude', 'include']).optional().describe('members with no consent decision for the channel (default exclude)'),
        }),
      },
    },
    async (req, reply) => {
      const chunks: string[] = [];
      const summary = await exportSegment(store, req.params.name, (c) => void chunks.push(c), {
        ...(req.query.fields !== undefined ? { fields: req.query.fields.split(',') } : {}),
        audience: req.query.audience === 'true',
        ...(req.query.channel !== undefined ? { channel: req.query.channel } : {}),
        unknownConsent: req.query.unknownConsent ?? 'exclude',
      });
      return sendConsentCsv(reply, chunks.join(''), summary, exportSummaryLine(summary));
    },
  );
};
