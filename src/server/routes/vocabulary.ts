import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { routeKit } from './kit.js';
import { SegmintError } from '../../domain/errors.js';
import { checkDefinition } from '../../segments/manage/check.js';
import { segmentVocabulary } from '../../segments/manage/vocabulary.js';

/**
 * What a segment editor needs while the user types: the words it may complete (`segments fields`) and
 * a check of the definition with every problem at its line and column, without counting anyone.
 */
export const vocabularyRoutes: FastifyPluginAsync = async (plain) => {
  const { app, store, read } = routeKit(plain);
  const tags = ['segments'];

  app.get(
    '/v1/fields',
    {
      ...read,
      schema: {
        tags,
        summary: 'Fields, event names, trait keys, saved segments and keywords a definition can use (`segments fields --json`)',
        response: {
          200: z.object({
            fields: z.array(z.object({ name: z.string(), type: z.string(), description: z.string() })),
            events: z.array(z.object({ name: z.string(), count: z.number() })),
            traits: z.array(z.object({ name: z.string(), count: z.number() })),
            segments: z.array(z.string()),
            keywords: z.array(z.string()),
          }),
        },
      },
    },
    async () => segmentVocabulary(store),
  );

  app.post(
    '/v1/segments/check',
    {
      ...read,
      schema: {
        tags,
        summary: 'Check a definition (text or JSON) without counting: problems at line and column, and both forms',
        body: z.object({
          query: z.string().optional().describe('the definition in the segment language'),
          definition: z.unknown().optional().describe('the definition as its JSON form'),
          self: z.string().optional().describe('name of the segment being edited'),
        }),
      },
    },
    async (req) => {
      const b = req.body;
      if ((b.query === undefined) === (b.definition === undefined)) {
        throw new SegmintError('definition_missing', 'Give the definition as query (text) or definition (JSON), one of them.', { field: 'query' });
      }
      return checkDefinition(store, b.query !== undefined ? { query: b.query } : { json: b.definition, origin: 'definition' }, b.self);
    },
  );
};
