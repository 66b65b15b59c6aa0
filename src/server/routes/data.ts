import { readMoment } from '../../analytics/asOf.js';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { routeKit } from './kit.js';
import { parsePastTime } from '../../domain/as-of.js';
import { SegmintError } from '../../domain/errors.js';
import { getImport, listImports } from '../../ingest/import/history.js';
import { previewImport } from '../../ingest/import/preview.js';
import { IMPORT_PHASES, importFile } from '../../ingest/import/run.js';
import { FORMAT_NAMES } from '../../ingest/import/formats/types.js';
import { qualityReport } from '../../ingest/quality/report.js';
import { uploadsOf } from '../jobs/shared.js';
import { inApiTerms, translateValue } from '../uploads/api-terms.js';
import { queryWhole } from './query-numbers.js';

/**
 * Data: the quality report (`segmint quality`), the imports with their reports (`segmint imports`), and
 * importing a file over HTTP in two steps: upload it (the answer previews the detected format and the
 * first rows), then import the upload as a job that reports each phase of `segmint import`.
 */
const tags = ['data'];
const UPLOAD_TYPES = ['text/csv', 'application/gzip', 'application/x-gzip', 'application/octet-stream'];
const format = z.enum(['auto', ...FORMAT_NAMES]).optional().describe('auto (default: detected from the first line) or a format name');
const map = z.array(z.string().describe('"column=field" texts')).optional().describe('column=field pairs for the generic format, as `--map`');

export const dataRoutes: FastifyPluginAsync = async (plain) => {
  const { app, store, read, admin, jobs } = routeKit(plain);
  const uploads = uploadsOf(plain);

  // A file upload is the raw body (CSV text or gzip bytes): the route streams it to disk unread. These
  // parsers belong to this plugin only; other routes keep refusing such bodies.
  plain.addContentTypeParser(UPLOAD_TYPES, (_req, payload, done) => done(null, payload));

  app.get(
    '/v1/quality',
    {
      ...read,
      schema: { tags, summary: 'Data-quality checks with counts and examples (`quality --json`)', querystring: z.object({ asOf: z.string().optional().describe('"in the future" is measured from this time (a date alone: midnight in the workspace time zone); default now') }) },
    },
    async (req) => qualityReport(store, await readMoment(store, req.query.asOf, 'asOf')),
  );

  app.get(
    '/v1/imports',
    {
      ...read,
      schema: {
        tags,
        summary: 'Imports and demo loads with their reports, newest first (`imports --json`)',
        querystring: z.object({ limit: queryWhole(1, 1000).optional(), offset: queryWhole(0).optional() }),
      },
    },
    async (req) => ({ imports: await listImports(store, req.query) }),
  );

  app.get(
    '/v1/imports/:id',
    { ...read, schema: { tags, summary: 'One import with its report', params: z.object({ id: z.string().min(1) }) } },
    async (req) => getImport(store, req.params.id),
  );

  app.post(
    '/v1/uploads',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Upload a CSV or CSV.GZ file to import: the body is the file (content-type text/csv or application/gzip); answers with the detected format and the first rows',
        querystring: z.object({ name: z.string().max(200).optional().describe('the file name, shown in the import report'), format }),
      },
    },
    async (req, reply) => {
      if (typeof (req.body as Readable | undefined)?.pipe !== 'function') {
        throw new SegmintError('upload_body', `Send the file itself as the body, with content-type ${UPLOAD_TYPES.slice(0, 2).join(' or ')}.`, { field: 'body' }, 415);
      }
      const upload = await uploads.save(req.body as Readable, req.query.name ?? 'upload.csv');
      try {
        const preview = translateValue(await previewImport(upload.path, { format: req.query.format ?? 'auto' }), upload);
        return reply.code(201).send({ upload: { id: upload.id, name: upload.name, bytes: upload.bytes, receivedAt: upload.receivedAt }, preview });
      } catch (e) {
        uploads.remove(upload.id);
        throw inApiTerms(e, upload);
      }
    },
  );

  app.post(
    '/v1/uploads/:id/preview',
    {
      ...admin,
      schema: { tags, summary: 'Preview an upload again with another format or mapping', params: z.object({ id: z.string() }), body: z.object({ format, map }).optional() },
    },
    async (req) => {
      const upload = uploads.get(req.params.id);
      const preview = await previewImport(upload.path, { format: req.body?.format ?? 'auto', map: req.body?.map ?? [] }).catch((e: unknown) => {
        throw inApiTerms(e, upload);
      });
      return { upload: { id: upload.id, name: upload.name, bytes: upload.bytes, receivedAt: upload.receivedAt }, preview: translateValue(preview, upload) };
    },
  );

  app.post(
    '/v1/imports',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Import an upload as `segmint import` would; 202 with a job whose steps are the import phases and whose result is the report',
        body: z.object({
          upload: z.string().describe('id from POST /v1/uploads'),
          format,
          map,
          currency: z.string().min(3).max(3).optional(),
          decimal: z.array(z.string().describe('texts "point", "comma" or "column=point|comma"')).optional().describe('as --decimal: point, comma, or Column=point|comma'),
          dateFormat: z.array(z.string().describe('texts "dmy", "mdy", "ymd", a strptime format, or "column=format"')).optional().describe('as --date-format: dmy, mdy, ymd, a strptime format, or Column=...'),
          lineKind: z.array(z.string().describe('"product=kind" texts')).optional().describe('as --line-kind: PRODUCT_ID_OR_NAME=kind'),
          exportedAt: z.string().optional().describe('as --exported-at: when the export was made (default: when it was uploaded)'),
          replaceDiffering: z.boolean().optional().describe('as --replace-differing: replace stored orders of this format whose content in the file differs'),
        }),
      },
    },
    async (req, reply) => {
      const exportedAt = req.body.exportedAt === undefined ? undefined : parsePastTime(req.body.exportedAt, 'exportedAt');
      const upload = uploads.get(req.body.upload);
      const { format: fmt, map: mapping, currency, decimal, dateFormat, lineKind, replaceDiffering } = req.body;
      const job = jobs.start('import', IMPORT_PHASES, req, async (ctx) => {
        try {
          // The report and the imports table name the file as the user knows it, not its temporary path.
          return await importFile(store, upload.path, {
            format: fmt ?? 'auto',
            map: mapping ?? [],
            currency,
            decimal,
            dateFormat,
            lineKind,
            replaceDiffering: replaceDiffering === true,
            ...(exportedAt ? { exportedAt } : {}),
            name: upload.name,
            onPhase: (p) => ctx.step(p),
            // As on the command line: a file none of whose rows could be stored is a failed job, not a success.
            refuseEmpty: true,
          });
        } catch (e) {
          throw inApiTerms(e, upload);
        } finally {
          uploads.remove(upload.id);
        }
      });
      return reply.code(202).send(job);
    },
  );
};
