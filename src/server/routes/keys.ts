import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditRequest } from '../audit.js';
import { requireScope } from '../auth.js';
import { parseExpiry } from '../key-expiry.js';
import { createApiKey, KEY_KINDS, listKeys, revokeKey, SCOPES, type ApiKeyInfo } from '../keys.js';

// The CLI cannot open the database while the server holds it, so keys are also managed over HTTP.
const keyInfo = z.object({
  keyId: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  kind: z.enum(KEY_KINDS).describe('browser: public, its claims yield to trusted sources; server: secret'),
  name: z.string().nullable(),
  createdAt: z.string().describe('ISO-8601, UTC'),
  revokedAt: z.string().nullable(),
  expiresAt: z.string().nullable().describe('when the key stops working (null: never)'),
});

const asJson = (k: ApiKeyInfo) => ({
  keyId: k.keyId,
  scopes: [...k.scopes],
  kind: k.kind,
  name: k.name,
  createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null,
  expiresAt: k.expiresAt?.toISOString() ?? null,
});

export const keysRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { preHandler: requireScope('admin') };
  r.get('/v1/keys', { ...admin, schema: { tags: ['keys'], summary: 'List API keys', response: { 200: z.object({ keys: z.array(keyInfo) }) } } }, async () => ({
    keys: (await listKeys(app.segmint.store)).map(asJson),
  }));
  r.post(
    '/v1/keys',
    {
      ...admin,
      schema: {
        tags: ['keys'],
        summary: 'Create an API key (the secret is in the answer, once)',
        body: z.object({
          scopes: z.array(z.enum(SCOPES)).min(1),
          name: z.string().max(200).optional(),
          kind: z.enum(KEY_KINDS).optional().describe('default: browser for a write-only key, else server'),
          expires: z.string().max(40).optional().describe('a duration (90d, 12h, 4w) or a date/time, UTC: the key stops working then'),
        }),
        response: { 201: keyInfo.extend({ key: z.string() }) },
      },
    },
    async (req, reply) => {
      const expiresAt = req.body.expires === undefined ? null : parseExpiry(req.body.expires, 'expires');
      const created = await createApiKey(app.segmint.store, req.body.scopes, req.body.name, req.body.kind, expiresAt);
      auditRequest(req, created.keyId, { scopes: created.scopes, kind: created.kind });
      return reply.code(201).send({ ...asJson(created), key: created.key });
    },
  );
  r.delete(
    '/v1/keys/:keyId',
    { ...admin, schema: { tags: ['keys'], summary: 'Revoke an API key', params: z.object({ keyId: z.string() }), response: { 200: z.object({ revoked: z.string() }) } } },
    async (req) => {
      auditRequest(req, req.params.keyId);
      await revokeKey(app.segmint.store, req.params.keyId);
      app.segmint.keyCache.clear();
      return { revoked: req.params.keyId };
    },
  );
};
