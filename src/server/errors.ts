import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isSegmintError } from '../domain/errors.js';

// Fastify's client-error codes, in the vocabulary of this API.
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

/**
 * The one place errors become HTTP answers, always `{ error: code, message }` (plus `details` when there
 * are some): a SegmintError is the user's to fix and keeps its status; schema validation is a 400 naming
 * the field; Fastify's own client errors (bad JSON, too large) keep their 4xx; anything else is a bug,
 * logged with its stack and answered with a bare 500.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isSegmintError(err)) {
      return reply.code(err.httpStatus).send({ error: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'request';
      const issues = err.validation.map((v) => `${where}${v.instancePath.replaceAll('/', '.')}: ${v.message ?? 'invalid'}`);
      return reply.code(400).send({ error: 'invalid_request', message: issues.join('; '), details: { issues } });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({
        error: 'request_too_large',
        message: `The request body is larger than the ${Math.round((req.routeOptions.bodyLimit ?? 0) / 1024)} KB this endpoint accepts; send fewer events per request.`,
      });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: FASTIFY_CODES[err.code] ?? 'bad_request', message: err.message });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: 'internal', message: 'Internal error; it has been logged on the server.' });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: 'not_found', message: `No route ${req.method} ${req.url}.` });
  });
}
