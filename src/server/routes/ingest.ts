import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS, type MessageType } from '../../ingest/events/message.js';
import { toIncomingEvent } from '../../ingest/events/normalise.js';
import { messagesOfRequest } from '../../ingest/events/validate.js';
import { requireScope } from '../auth.js';

// Schemas document the API (OpenAPI); the checks themselves are in ingest/events/validate.ts, which
// names the item of a batch and the field in its messages.
const common = {
  userId: z.unknown().optional().describe('Your id for the person (string or number). userId or anonymousId is required.'),
  anonymousId: z.unknown().optional().describe('A device or cookie id for a person not yet known.'),
  messageId: z.string().optional().describe('Unique id of the message; a repeat is stored once. Generated when missing.'),
  timestamp: z.string().optional().describe('When it happened (ISO-8601). Corrected for clock skew when sentAt is given.'),
  originalTimestamp: z.string().optional(),
  sentAt: z.string().optional().describe('When the client sent it, by the client clock.'),
  context: z.record(z.string(), z.unknown()).optional().describe('externalIds, traits.email, consent.categoryPreferences, ...'),
  integrations: z.record(z.string(), z.unknown()).optional(),
  writeKey: z.string().optional().describe('The write key, when not sent as Basic auth or X-Write-Key.'),
};
const schemas: Record<MessageType | 'batch', z.ZodType> = {
  identify: z.looseObject({ ...common, traits: z.record(z.string(), z.unknown()).optional() }),
  track: z.looseObject({ ...common, event: z.string().describe('Name of the action, e.g. "Order Completed".'), properties: z.record(z.string(), z.unknown()).optional() }),
  page: z.looseObject({ ...common, name: z.string().optional(), properties: z.record(z.string(), z.unknown()).optional() }),
  screen: z.looseObject({ ...common, name: z.string().optional(), properties: z.record(z.string(), z.unknown()).optional() }),
  group: z.looseObject({ ...common, groupId: z.unknown().describe('The account or company id.'), traits: z.record(z.string(), z.unknown()).optional() }),
  alias: z.looseObject({ ...common, previousId: z.unknown().describe('The old id, merged into userId.') }),
  batch: z.looseObject({
    batch: z.array(z.record(z.string(), z.unknown())).describe(`Up to ${LIMITS.batchEvents} messages, each with its "type".`),
    context: z.record(z.string(), z.unknown()).optional().describe('Applies to every message that lacks its own keys.'),
    sentAt: z.string().optional(),
    writeKey: z.string().optional(),
  }),
};
// The short paths of Segment's HTTP API (/v1/t …) and /v1/import, an alias of /v1/batch.
const paths: [MessageType | 'batch', string[]][] = [
  ['identify', ['identify', 'i']],
  ['track', ['track', 't']],
  ['page', ['page', 'p']],
  ['screen', ['screen', 's']],
  ['group', ['group', 'g']],
  ['alias', ['alias', 'a']],
  ['batch', ['batch', 'b', 'import']],
];

const response = z.object({
  success: z.literal(true),
  stored: z.number().describe('Messages stored by this request.'),
  duplicates: z.number().describe('Messages already stored earlier (same messageId): ignored.'),
  suppressed: z.number().describe('Messages of erased customers (a suppressed identifier): dropped, never stored.'),
});

/** Segment's HTTP Tracking API. Answers 200 only once the events are committed durably. */
export const ingestRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Browsers send events from the shop's own pages, so any origin may post them; what protects the
  // endpoint is the write key, not the origin.
  // onSend also covers error answers, so a page can read why its request was refused.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-allow-methods', 'POST, OPTIONS');
    reply.header('access-control-allow-headers', 'content-type, authorization, x-write-key');
    reply.header('access-control-max-age', '86400');
    return payload;
  });
  for (const [type, names] of paths) {
    for (const name of names) {
      r.options(`/v1/${name}`, { schema: { hide: true } }, async (_req, reply) => reply.code(204).send());
      r.post(
        `/v1/${name}`,
        {
          bodyLimit: LIMITS.requestBytes,
          // The schema documents; validate.ts checks, so that every problem names its item and field.
          validatorCompiler: () => (data: unknown) => ({ value: data }),
          preHandler: requireScope('write'),
          schema: {
            tags: ['ingestion'],
            summary: type === 'batch' ? 'Send many messages at once' : `Send one ${type} call`,
            hide: name.length === 1 || name === 'import',
            body: schemas[type],
            response: { 200: response },
          },
        },
        async (req) => {
          const receivedAt = new Date();
          const messages = messagesOfRequest(type, req.body, receivedAt);
          // A browser key's orders are claims; a server key's are trusted (docs/security.md).
          const trust = req.apiKey?.kind === 'server' ? 'server' : 'browser';
          const events = messages.map(({ message, raw }) => toIncomingEvent(message, raw, receivedAt, trust));
          const result = await app.segmint.committer.submit(events);
          if (result.suppressed > 0) req.log.info({ suppressed: result.suppressed }, `${result.suppressed} events of erased customers dropped`);
          return { success: true as const, ...result };
        },
      );
    }
  }
};
