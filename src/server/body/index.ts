import { Transform, type Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SegmintError } from '../../domain/errors.js';
import type { HttpLimits } from '../limits.js';
import { decodeUtf8, looksLikeJson, readJsonBody } from './json.js';

/** The body types every route accepts, and the encodings; named in 415 answers. */
export const ACCEPTED_TYPES = ['application/json', 'text/plain (holding JSON, as Segment\'s browser SDK sends)'] as const;
export const ACCEPTED_ENCODINGS = ['gzip', 'deflate', 'identity'] as const;

/** The methods whose body Fastify never parses (its "bodyless" methods). */
const BODYLESS = new Set(['GET', 'HEAD', 'TRACE']);

/**
 * How request bodies become values: decompression (Content-Encoding gzip or deflate, as Segment's
 * SDKs send), a budget of body bytes held at once over all requests, then JSON read by readJsonBody
 * (lossless numbers, valid UTF-8 and Unicode, bounded depth). Replaces Fastify's own JSON parser.
 */
export function installBodyParsing(app: FastifyInstance, limits: HttpLimits): void {
  const budget = new BodyBudget(limits.bodyBytesInFlight);
  app.addHook('preParsing', async (req, reply, payload) => {
    // Fastify reads no body for these methods: nothing about one (its encoding) is looked at either.
    if (BODYLESS.has(req.method)) return payload;
    const decoded = decode(req, payload);
    // Bodies read whole into memory (JSON, text) count against the budget; a route that streams its body
    // elsewhere (a file upload to disk) holds no memory for it and keeps its own limits.
    if (!readsWhole(req.headers['content-type'])) return decoded;
    return budget.track(decoded, reply.raw, req.routeOptions.bodyLimit ?? limits.bodyBytes);
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, readJsonBody(body as Buffer, limits.jsonDepth));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  // Segment's browser SDK posts JSON as text/plain to skip the CORS preflight. Text that is not JSON is
  // passed on as a string, for the route to say what it expected.
  app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      const text = decodeUtf8(body as Buffer);
      done(null, looksLikeJson(text) ? readJsonBody(text, limits.jsonDepth) : text);
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}

/** Whether a body of this Content-Type is read whole into memory (JSON, or text holding JSON). */
export function readsWhole(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type === 'text/plain';
}

/** The request's Content-Encoding, lower case ('' when none). */
function encodingOf(req: FastifyRequest): string {
  const header = req.headers['content-encoding'];
  return (Array.isArray(header) ? header.join(',') : (header ?? '')).trim().toLowerCase();
}

/** Whether the request's body is sent compressed (any Content-Encoding but identity). */
export function isCompressed(req: FastifyRequest): boolean {
  const encoding = encodingOf(req);
  return encoding !== '' && encoding !== 'identity';
}

function decode(req: FastifyRequest, payload: Readable): Readable {
  const encoding = encodingOf(req);
  if (!isCompressed(req)) return payload;
  const inflate = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : undefined;
  if (!inflate) {
    throw new SegmintError(
      'unsupported_encoding',
      `The body's Content-Encoding is "${encoding.slice(0, 100)}"; accepted: ${ACCEPTED_ENCODINGS.join(', ')} (Content-Encoding header).`,
      { received: encoding.slice(0, 100), accepted: ACCEPTED_ENCODINGS },
      415,
    );
  }
  // Fastify compares the bytes that arrived with Content-Length: count them before inflating.
  const out = inflate as typeof inflate & { receivedEncodedLength: number };
  out.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => (out.receivedEncodedLength += chunk.length));
  payload.on('error', (e) => out.destroy(e));
  // Decompressed bytes are limited by the route's body limit as they come: a small bomb cannot grow.
  inflate.once('error', (e: Error & { code?: string }) => {
    Object.assign(e, { statusCode: 400, code: 'FST_INVALID_ENCODING', message: `The body is not valid ${encoding} data (Content-Encoding: ${encoding}): ${e.message}.` });
  });
  return payload.pipe(inflate);
}

/**
 * Bytes of request bodies held at once, over all requests: counted as they arrive and released when the
 * answer is sent, so the memory that bodies (and what is parsed from them) take stays bounded however
 * many clients send at once. Past the budget a request is answered 503 with Retry-After. A client that
 * stalls holds its part for at most the idle timeout (no byte) or the request timeout (a trickle).
 */
class BodyBudget {
  private held = 0;

  constructor(private readonly limit: number) {}

  track(source: Readable, response: NodeJS.EventEmitter, bodyLimit: number): Readable {
    let mine = 0;
    const release = (): void => {
      this.held -= mine;
      mine = 0;
    };
    response.once('close', release);
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, callback) => {
        // Past the route's limit the body is refused (Fastify answers 413 when it sees the bytes): an
        // inflating body must not hold more of the budget than a plain one can.
        if (mine + chunk.length > bodyLimit) {
          callback(null, chunk.subarray(0, Math.max(0, bodyLimit + 1 - mine)));
          source.unpipe(counter);
          counter.end();
          return;
        }
        if (this.held + chunk.length > this.limit) {
          callback(
            new SegmintError(
              'server_busy',
              `The server is receiving more request data at once than it holds (${Math.round(this.limit / 1024 / 1024)} MB); retry in a second.`,
              { retryAfterSeconds: 1 },
              503,
            ),
          );
          return;
        }
        mine += chunk.length;
        this.held += chunk.length;
        callback(null, chunk);
      },
    });
    source.on('error', (e) => counter.destroy(e));
    // When Fastify refuses the request before reading its body (a 415), nobody else listens: the error
    // of a body no one reads is not the process's.
    counter.on('error', () => undefined);
    const piped = source.pipe(counter) as Transform & { receivedEncodedLength?: number };
    const encoded = (source as Readable & { receivedEncodedLength?: number }).receivedEncodedLength;
    if (encoded !== undefined) {
      Object.defineProperty(piped, 'receivedEncodedLength', { get: () => (source as Readable & { receivedEncodedLength: number }).receivedEncodedLength });
    }
    return piped;
  }
}
