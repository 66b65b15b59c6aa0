import { maxHeaderSize } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isSegmintError, SegmintError } from '../domain/errors.js';
import { canonicalText } from '../domain/identifiers.js';
import { missingKey } from './auth.js';
import { ACCEPTED_ENCODINGS, ACCEPTED_TYPES } from './body/index.js';
import { loneSurrogateAt } from './body/json.js';
import type { HttpLimits } from './limits.js';
import { errorInRequestTerms } from './option-words.js';
import { validationProblems } from './validation-message.js';

/**
 * Fastify's own client errors, in the vocabulary of this API: each answer says what was received, what
 * is accepted, and where (which header, which part of the request).
 */
function fastifyClientError(err: FastifyError, req: FastifyRequest): { status: number; code: string; message: string; details?: Record<string, unknown> } | undefined {
  const type = req.headers['content-type'];
  const length = req.headers['content-length'];
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        code: 'unsupported_media_type',
        message: `The body's Content-Type is ${type ? `"${String(type).slice(0, 100)}"` : 'missing'}; accepted: ${ACCEPTED_TYPES.join(', ')} (Content-Type header).`,
        details: { received: type ?? null, accepted: ACCEPTED_TYPES },
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'invalid_json', message: `The body is empty but its Content-Type is "${String(type)}"; send a JSON object.` };
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const limit = req.routeOptions.bodyLimit ?? 0;
      const kb = Math.round(limit / 1024);
      const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
      // A compressed body is refused on its inflated size, which is known only to exceed the limit (the
      // inflating stops there): its Content-Length is the compressed size, so it is named as such.
      if (encoding !== '' && encoding !== 'identity') {
        return {
          status: 413,
          code: 'request_too_large',
          message: `The request body${length ? ` (${length} bytes as sent, Content-Encoding ${encoding.slice(0, 20)})` : ''} decompresses to more than the ${kb} KB this endpoint accepts; send fewer events per request.`,
          details: { compressedBytes: length ? Number(length) : null, decompressedBytesOver: limit, limitBytes: limit },
        };
      }
      return {
        status: 413,
        code: 'request_too_large',
        message: `The request body${length ? ` (Content-Length ${length} bytes)` : ''} is larger than the ${kb} KB this endpoint accepts; send fewer events per request.`,
        details: { receivedBytes: length ? Number(length) : null, limitBytes: limit },
      };
    }
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'bad_request', message: `The body's length differs from its Content-Length header (${String(length)}); send the header that matches the body.` };
    case 'FST_INVALID_ENCODING':
      return { status: 400, code: 'invalid_encoding', message: err.message, details: { received: req.headers['content-encoding'] ?? null, accepted: ACCEPTED_ENCODINGS } };
    case 'FST_ERR_BAD_URL':
      return { status: 400, code: 'bad_url', message: `The URL ${JSON.stringify(req.url.slice(0, 200))} cannot be read (bad percent-encoding); encode it as UTF-8.` };
    default:
      return undefined;
  }
}

/**
 * The 404s that mean "not computed yet" rather than "no such thing": what a page asks for before the
 * first fit, snapshot or refresh.
 */
const NONE_YET = new Set(['clv_not_predicted', 'clv_not_fitted', 'rfm_not_saved', 'clusters_not_saved', 'propensity_not_trained', 'segment_not_refreshed']);

/** Whether a GET asked (`Prefer: none-yet`, RFC 7240) to hear "none yet" as 204 rather than 404. */
function prefersNoneYet(req: FastifyRequest): boolean {
  const prefer = req.headers.prefer;
  return req.method === 'GET' && typeof prefer === 'string' && prefer.split(',').some((p) => p.trim().toLowerCase() === 'none-yet');
}

/**
 * The one place errors become HTTP answers, always `{ error: code, message }` (plus `details` when there
 * are some), except a "none yet" 404 to a GET that prefers a 204 (NONE_YET): a SegmintError is the user's to fix and keeps its status (a Retry-After header when it says
 * when to retry); schema validation is a 400 naming the field; Fastify's own client errors keep their
 * 4xx with a message naming what was received and what is accepted; a request the client abandoned gets
 * nothing; anything else is a bug, logged with its stack and answered with a bare 500.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(answerError);
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(noRoute(req));
  });
}

/**
 * The answer to an error, as installErrorHandling describes. Exported for a route with its own error
 * handler (the unsubscribe pages) to hand on the errors it does not answer itself: inside a route,
 * Fastify's `this.errorHandler` is Fastify's default handler, not this one.
 */
export function answerError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  // Before a key is found (an ingestion request whose key may be in its body), nothing about the body
  // is told: a body the server could not read is answered as one without a key (auth-order.ts).
  if (req.keyPending) {
    const status = isSegmintError(err) ? err.httpStatus : (err.statusCode ?? 500);
    if (status >= 400 && status < 500 && ![401, 403, 429].includes(status)) {
      err = missingKey(req.requiredScope ?? 'write', ' (none in a header, and the body could not be read to find a "writeKey" field)') as unknown as FastifyError;
    }
  }
  if (isSegmintError(err) && NONE_YET.has(err.code) && prefersNoneYet(req)) {
    // Asked for by the dashboard: "nothing computed yet" is an answer, not a failure (no console error).
    return reply
      .code(204)
      .header('preference-applied', 'none-yet')
      .header('segmint-none-yet', err.code)
      .header('segmint-none-yet-message', encodeURIComponent(err.message))
      .send();
  }
  if (isSegmintError(err)) {
    const retry = err.details?.retryAfterSeconds;
    if (typeof retry === 'number') void reply.header('retry-after', String(retry));
    return reply.code(err.httpStatus).send(errorInRequestTerms(req)(err));
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const problems = validationProblems(err.validationContext, err.validation, req);
    return reply.code(400).send({ error: 'invalid_request', message: problems.map((p) => p.message).join(' '), details: { issues: problems } });
  }
  const known = fastifyClientError(err, req);
  if (known) return reply.code(known.status).send({ error: known.code, message: known.message, ...(known.details ? { details: known.details } : {}) });
  // The client went away mid-request (aborted upload, reset connection): there is no one to answer.
  // Only a request that did not arrive whole: Node destroys a request's stream once its body has been
  // read to the end, so `destroyed` alone also holds for every request received whole (trial 13, M5:
  // a parser's exception was answered "not received whole").
  if (err.code === 'ECONNRESET' || (req.raw.destroyed && !req.raw.complete)) {
    return reply.code(400).send({ error: 'aborted', message: 'The request was not received whole.' });
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ error: 'bad_request', message: `${err.message} (received ${req.method} ${req.url.slice(0, 200)}).` });
  }
  req.log.error({ err }, 'unhandled error');
  return reply.code(500).send({ error: 'internal', message: 'Internal error; it has been logged on the server.' });
}

/** The answer to a request for a method and path no route serves (404). */
export function noRoute(req: FastifyRequest): { error: 'not_found'; message: string } {
  return { error: 'not_found', message: `No route ${req.method} ${req.url.slice(0, 200)}; the routes are listed at GET /openapi.json.` };
}

/**
 * Path parameters and query strings are strings from outside too: one that is not valid Unicode (a lone
 * surrogate, percent-encoded) is refused before any route sees it, naming where it is. So is an empty
 * query parameter (`?asOf=`), which would otherwise read as the parameter left out (400 empty_parameter).
 * A path parameter is always a look-up key (a customer's identifier, a segment's or workflow's name, an
 * id), and every such key is stored in NFC (canonicalText, migration 33): it is given to the route in
 * NFC, so `caf` + `e` + U+0301 finds the segment `café` whatever route looks it up (trial 13 M1, fixM14).
 */
export function installInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    for (const [part, values] of [
      ['path parameter', req.params],
      ['query parameter', req.query],
    ] as const) {
      if (values === null || typeof values !== 'object') continue;
      for (const [name, v] of Object.entries(values as Record<string, unknown>)) {
        for (const s of Array.isArray(v) ? v : [v]) {
          // `?asOf=` is not `asOf` left out: an empty parameter is refused, as the CLI refuses `--as-of ""` (trial 8, D4).
          if (part === 'query parameter' && typeof s === 'string' && s.trim() === '') {
            throw new SegmintError(
              'empty_parameter',
              `The query parameter "${name}" is empty; leave it out for its default, or give it a value.`,
              { field: `query.${name}` },
              400,
            );
          }
          if (typeof s === 'string' && loneSurrogateAt(s) >= 0) {
            throw new SegmintError(
              'invalid_unicode',
              `The ${part} "${name}" is not valid Unicode text (it holds an unpaired surrogate); send UTF-8 text.`,
              { field: `${part === 'path parameter' ? 'params' : 'query'}.${name}` },
              400,
            );
          }
        }
      }
    }
    const params = req.params as Record<string, unknown> | null;
    if (params !== null && typeof params === 'object') {
      for (const [name, v] of Object.entries(params)) if (typeof v === 'string') params[name] = canonicalText(v);
    }
  });
}

/**
 * Node's own refusals, answered before any request exists (Fastify's `clientErrorHandler`), in this
 * API's error shape rather than Fastify's (`{"error":"Request Timeout",…,"statusCode":408}`): a request
 * whose headers or whole self did not arrive in time (408 `request_timeout`), headers (the URL included)
 * past Node's header size (431 `headers_too_large`), anything Node's HTTP parser cannot read (400
 * `bad_request`). The answer is written to the socket, which is then closed, as Node does.
 */
export function clientErrorHandler(limits: Pick<HttpLimits, 'headersTimeoutMs' | 'requestTimeoutMs'>): (err: NodeJS.ErrnoException, socket: Duplex) => void {
  return (err, socket) => {
    // A reset connection has no one to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;
    const [status, reason, body] =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ([408, 'Request Timeout', { error: 'request_timeout', message: `The request did not arrive in time (its headers within ${seconds(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs))}, the whole request within ${seconds(limits.requestTimeoutMs)}); the connection is closed. Send the request whole, without pauses.` }] as const)
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? ([431, 'Request Header Fields Too Large', { error: 'headers_too_large', message: `The request's headers, the URL included, are larger than the ${Math.round(maxHeaderSize / 1024)} KB this server reads; send a shorter URL (a long query string) or fewer headers.`, details: { limitBytes: maxHeaderSize } }] as const)
          : ([400, 'Bad Request', { error: 'bad_request', message: `The request could not be read as HTTP/1.1 (${String(err.code ?? 'unreadable')}); the connection is closed.` }] as const);
    if (socket.writable) {
      const text = JSON.stringify(body);
      socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${text}`);
    }
    socket.destroy(err);
  };
}
