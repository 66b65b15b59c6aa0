import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { GroupCommitter } from '../ingest/live/committer.js';
import { RealtimeEngine, type Clock, type DataFingerprints } from '../realtime/index.js';
import { WebhookSender, type SenderOptions } from '../realtime/webhooks/sender.js';
import type { Store } from '../store/db.js';

export interface RealtimeServerOptions {
  /** default: the machine's clock (tests pass a ManualClock) */
  readonly clock?: Clock;
  /** per segment, the most events the engine may hold before refusing it for real time */
  readonly maxHeldEvents?: number;
  /** the engine's timer gap (EngineOptions.timerGapMs); default LIVE_TIMER_GAP_MS on the machine's clock, 0 on another */
  readonly timerGapMs?: number;
  /** retry timing of webhook deliveries */
  readonly webhooks?: Pick<SenderOptions, 'baseDelayMs' | 'maxDelayMs' | 'giveUpAfterMs' | 'timeoutMs'>;
}

/**
 * The most events a server keeping segments live stores in one commit (GroupCommitter's
 * limitCommits; one request is never split, so a request of more goes alone). The engine's
 * timer needs the database's single connection to record a time-based change, and a commit holds it
 * from start to end: when requests pile up, a group of everything queued (up to 20,000 events) held
 * it for seconds, and changes that came due meanwhile were recorded that late (bench/realtime.ts:
 * transactions of 1–6.6 s before the latest ones). A commit of 2,000 events takes about 0.3 s of one
 * core with 20 segments live; the per-commit cost that larger groups would share is about 37 ms, so
 * a saturated server gives up some 7% of its throughput for lateness under 1 s.
 */
export const LIVE_MAX_EVENTS_PER_COMMIT = 2000;

/**
 * The longest a commit of a server keeping segments live is expected to take (CommitLimit.maxMs,
 * estimated from recent commits' milliseconds per event): the cap in events above holds a commit near
 * 0.3 s on an idle machine, but on a loaded one 2,000 events took over a second and lateness followed;
 * a limit by time shrinks the groups as the machine slows (docs/realtime.md).
 */
export const LIVE_MAX_COMMIT_MS = 250;

/**
 * The gap the engine's timer leaves after any step before a step of its own (EngineOptions.timerGapMs),
 * on the machine's clock. At a few thousand events a second nearly every live commit had a timer step
 * beside it (a change comes due every few milliseconds: `within 60s` segments), each a transaction of
 * its own with the history and member statements' fixed costs, taking the store from ingestion; now the
 * due changes ride on the live commits, and a quiet server applies them at most this late (lateness
 * target: under 1 s; each is recorded at its true instant). With an injected clock (tests) the default is
 * 0: its time moves only when told, to the instant a test checks.
 */
export const LIVE_TIMER_GAP_MS = 200;

export interface RealtimeParts {
  readonly engine: RealtimeEngine;
  readonly webhooks: WebhookSender;
}

/**
 * Starts real-time segments for a server: the engine (loaded and caught up), hooked into every commit
 * of live events, and the webhook sender, woken by every recorded change of a segment with a webhook.
 */
export async function startRealtime(store: Store, committer: GroupCommitter, log: FastifyBaseLogger, opts: RealtimeServerOptions): Promise<RealtimeParts> {
  const engine = new RealtimeEngine({
    store,
    log,
    ...(opts.clock ? { clock: opts.clock } : {}),
    timerGapMs: opts.timerGapMs ?? (opts.clock ? 0 : LIVE_TIMER_GAP_MS),
    ...(opts.maxHeldEvents ? { maxHeldEvents: opts.maxHeldEvents } : {}),
  });
  await engine.start();
  engine.attach(committer);
  // While segments are kept live, commits stay short so that time-based changes are recorded on time;
  // with none, nothing can come due, and a commit takes all that is queued, as group commit is cheapest so.
  committer.limitCommits(() => (engine.liveSegments > 0 ? { maxEvents: LIVE_MAX_EVENTS_PER_COMMIT, maxMs: LIVE_MAX_COMMIT_MS } : undefined));
  const webhooks = new WebhookSender({ store, log, clock: engine.clock, ...opts.webhooks });
  // Only a change of a segment with a webhook writes deliveries; waking for others would cost every
  // commit two reads of the outbox.
  engine.subscribe((c) => {
    if (engine.hasWebhooks(c.segmentId)) webhooks.wake();
  });
  webhooks.start();
  return { engine, webhooks };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the data's fingerprints before a write through the API, for the engine to pick the write up */
    realtimeBefore?: DataFingerprints;
  }
}

/**
 * Writes through the API other than live events (segments created, changed or deleted, webhooks, and
 * whatever later endpoints write) become live before the answer is sent: the data is fingerprinted
 * before the request and the engine resyncs what changed after it.
 */
export function resyncAfterWrites(app: FastifyInstance, engine: RealtimeEngine): void {
  app.addHook('onRequest', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    const tags = (req.routeOptions.schema as { tags?: string[] } | undefined)?.tags ?? [];
    if (tags.includes('ingestion')) return;
    req.realtimeBefore = await engine.fingerprint();
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.realtimeBefore && reply.statusCode < 400) await engine.resync(req.realtimeBefore);
    return payload;
  });
}

/**
 * For a handler whose answer reads what the engine writes (the member counts of segments): the request's
 * writes become live now, before the answer is read, rather than in onSend after it was built, so the
 * answer of a write equals what a read right after it says. Without an engine (or for a request the hooks
 * skip) it does nothing; onSend then has nothing left to resync.
 */
export async function settleWrites(req: FastifyRequest, engine: RealtimeEngine | undefined): Promise<void> {
  const before = req.realtimeBefore;
  if (!engine || !before) return;
  delete req.realtimeBefore;
  await engine.resync(before);
}

/** For work that writes outside a request (a job): what it wrote becomes live as soon as it ends. */
export function resyncAround(engine: RealtimeEngine): <T>(work: () => Promise<T>) => Promise<T> {
  return async (work) => {
    const before = await engine.fingerprint();
    try {
      return await work();
    } finally {
      await engine.resync(before);
    }
  };
}
