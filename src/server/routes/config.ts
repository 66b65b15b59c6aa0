import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SegmintError } from '../../domain/errors.js';
import { listSettings, setSetting, unsetSetting, view } from '../../config/settings.js';
import { auditRequest } from '../audit.js';
import { requireScope } from '../auth.js';

/** /v1/config: the settings of `segmint config`, for an admin key. Secrets are never sent back. */
export const configRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const store = plain.segmint.store;
  const admin = { preHandler: requireScope('admin') };
  const tags = ['config'];
  const key = z.object({ key: z.string() });
  app.get('/v1/config', { ...admin, schema: { tags, summary: 'Every setting (secrets masked)' } }, async () => listSettings(store));
  app.get('/v1/config/:key', { ...admin, schema: { tags, summary: 'One setting (masked when secret)', params: key } }, async (req) => view(store, req.params.key));
  app.put('/v1/config/:key', { ...admin, schema: { tags, summary: 'Set a setting', params: key, body: z.object({ value: z.string() }) } }, async (req) => {
    const v = await setSetting(store, req.params.key, req.body.value);
    auditRequest(req, req.params.key);
    return v;
  });
  app.delete('/v1/config/:key', { ...admin, schema: { tags, summary: 'Remove a stored setting (back to its default)', params: key } }, async (req) => {
    if (!(await unsetSetting(store, req.params.key))) throw new SegmintError('setting_not_set', `${req.params.key} has no stored value.`, { key: req.params.key }, 404);
    auditRequest(req, req.params.key);
    return view(store, req.params.key);
  });
};
