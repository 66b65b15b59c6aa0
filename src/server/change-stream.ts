import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseCursor } from '../realtime/changes.js';
import type { RecordedChange } from '../realtime/index.js';

/** What every change stream sends: its position (the SSE id and resume cursor) and entered/exited (the SSE event). */
export interface Streamable {
  readonly cursor: string;
  readonly change: 'entered' | 'exited';
}

/** Changes read per page of the backlog. */
export const STREAM_PAGE = 1000;

/**
 * Answers a request with Server-Sent Events: the changes recorded after `after` (read in pages, the
 * first already read by the caller, so a bad request is refused before the stream opens), then each
 * change the real-time engine records that `pick` keeps, as it is recorded. A change arriving while the
 * backlog is read waits for it; nothing is sent twice or out of order (cursors only grow). A comment
 * line every 15 s keeps proxies from closing an idle stream. Ends when the client goes away, or when
 * the server closes (endStreamsOnClose), as the stream would otherwise hold the server open.
 */
export async function streamChanges<C extends Streamable>(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  opts: { after: number; first: readonly C[]; page(after: number): Promise<readonly C[]>; pick(c: RecordedChange): C | undefined },
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  // Sent now, not with the first change: a client knows the stream is open (and the engine is
  // listening for it) even when nothing changes for a while.
  raw.flushHeaders();
  const streams = app.segmint.streams;
  streams.add(raw);
  let last = opts.after;
  const send = (c: C): void => {
    if (Number(c.cursor) <= last || raw.destroyed) return;
    last = Number(c.cursor);
    raw.write(`id: ${c.cursor}\nevent: ${c.change}\ndata: ${JSON.stringify(c)}\n\n`);
  };
  const buffered: C[] = [];
  let live = false;
  const unsubscribe = app.segmint.realtime?.subscribe((recorded) => {
    const c = opts.pick(recorded);
    if (!c) return;
    if (live) send(c);
    else buffered.push(c);
  });
  const ping = setInterval(() => raw.write(': ping\n\n'), 15_000);
  ping.unref();
  req.raw.on('close', () => {
    streams.delete(raw);
    clearInterval(ping);
    unsubscribe?.();
  });
  let page = opts.first;
  for (;;) {
    for (const c of page) send(c);
    if (page.length < STREAM_PAGE || raw.destroyed) break;
    page = await opts.page(last);
  }
  live = true;
  for (const c of buffered) send(c);
  buffered.length = 0;
}

/**
 * Ends every open stream as the server starts closing (Fastify's preClose, before it waits for open
 * connections): a stream never ends by itself, so one connected client (an open dashboard tab) would
 * otherwise keep `serve` from stopping. A client that reconnects resumes from its Last-Event-ID.
 */
export function endStreamsOnClose(app: FastifyInstance): void {
  app.addHook('preClose', async () => {
    for (const raw of app.segmint.streams) {
      raw.end();
      // The socket goes too: an SSE answer is the last on its connection, and a kept-alive socket would
      // still hold the server open.
      raw.socket?.destroySoon();
    }
    app.segmint.streams.clear();
  });
}

/** Whether the client asked for the live stream (Accept: text/event-stream) rather than a page. */
export function wantsStream(req: FastifyRequest): boolean {
  return String(req.headers.accept ?? '').includes('text/event-stream');
}

/**
 * The cursor to resume after: an SSE client's Last-Event-ID header, else the `after` query parameter;
 * 0 for neither. A bad cursor is a 400 (cursor_invalid) naming where it came from (the header or `after`).
 */
export function resumeAfter(req: FastifyRequest, after: string | undefined): number {
  const lastEventId = req.headers['last-event-id'];
  return typeof lastEventId === 'string' && lastEventId !== '' ? parseCursor(lastEventId, 'Last-Event-ID') : parseCursor(after);
}
