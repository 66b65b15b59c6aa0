import type { Store, Transaction } from '../../store/db.js';
import type { IncomingEvent } from '../events/message.js';
import { StoredMessageIds } from '../events/stored-ids.js';
import { IdentityMap } from '../identity/identity-map.js';
import { RecentCommitCost, type CommitCostEstimate } from './commit-cost.js';
import { ingestRequests, type IngestOutcome } from './ingest.js';

export interface SubmitResult {
  /** events of the request stored now */
  readonly stored: number;
  /** events of the request already stored before (same messageId), so changed nothing */
  readonly duplicates: number;
  /** events of the request dropped because they carry an erased person's identifier */
  readonly suppressed: number;
}

/** What a commit changed, for listeners that keep derived state live (e.g. segment membership). */
export interface CommitNotice {
  /** the events stored by the commit (duplicates excluded), in event-time order */
  readonly events: readonly IncomingEvent[];
  /** customers whose identities, traits, consent, orders or events changed */
  readonly customers: ReadonlySet<string>;
  /** customers merged away by the commit → the customer that absorbed them (drop state kept for them) */
  readonly merged: ReadonlyMap<string, string>;
}

export type CommitListener = (notice: CommitNotice) => void | Promise<void>;

/**
 * Work that must commit or roll back with the events themselves (the real-time engine records
 * membership changes this way): runs inside the transaction, after the events are written, when the
 * commit stored any. A throw fails the commit like any other.
 */
export type CommitHook = (tx: Transaction, outcome: IngestOutcome) => Promise<void>;

/**
 * Work that may start inside the transaction once the commit's events and their customers are known,
 * while ingestion still writes them (GroupCommitter.whenResolved): `events` and `merged` are what the
 * outcome handed to the CommitHooks will hold. It must make no statement on `tx` (ingestion's statements
 * are running on it). The commit waits for the promise it returns after the CommitHooks (a rejection fails
 * the commit); when the commit fails after it started, the committer waits for the promise before the
 * transaction is retried or given up.
 */
export type ResolvedHook = (tx: Transaction, events: IngestOutcome['events'], merged: ReadonlyMap<string, string>) => Promise<void>;

/**
 * How a group commit is bounded, asked again before each commit (GroupCommitter.limitCommits). One
 * request is never split: the first request of a group is taken whatever its size.
 */
export interface CommitLimit {
  /** the most events a commit takes; default 20,000 */
  readonly maxEvents?: number;
  /**
   * the longest a commit is expected to take, in milliseconds of wall time: a request is not added when
   * the group with it would be expected to take longer (the estimate: CommitCostEstimate, from recent
   * commits' milliseconds per event). No limit by time until a commit has been timed.
   */
  readonly maxMs?: number;
}

/** The most events one commit takes when no limit says otherwise. */
export const DEFAULT_MAX_EVENTS_PER_COMMIT = 20_000;

/** Write-ahead log a server ingesting live lets grow before DuckDB checkpoints (see prepare). */
export const LIVE_CHECKPOINT_THRESHOLD = '128MB';

interface Pending {
  readonly events: readonly IncomingEvent[];
  readonly resolve: (r: SubmitResult) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Group commit. Each commit waits for the database to make its write-ahead log durable, which dominates
 * the cost of a small request; so requests that arrive while a commit is under way are queued and stored
 * together in the next transaction, and each is answered only once that transaction has committed. If a
 * group fails, its requests are retried one by one, so one request that trips a bug cannot fail others.
 *
 * A group is taken as soon as the previous commit ends, with no wait for more requests. With N busy
 * clients the groups alternate 1 and N − 1 requests, but the lone commit is not waste in time: it runs
 * while the server reads the bodies of the N − 1 that its clients send again, which reach the queue
 * over that whole time (at load 11 on 2 cores, 7–9 of 15 bodies of 1,000 events had come 200 ms after
 * a commit). A bounded wait for them was measured (bench/ingest.ts, bench/realtime.ts): up to 50 ms
 * caught 0–4 and lowered throughput; up to 5 ms caught 0–1 and changed nothing beyond the noise.
 */
export class GroupCommitter {
  /**
   * Who holds which identifier, in memory (IdentityMap): read whole at the first commit and whenever
   * another path wrote identities, then kept by each commit; a failed commit drops it.
   */
  readonly identities = new IdentityMap();
  /**
   * Which message ids are stored (StoredMessageIds): a filter read at the first commit and whenever another
   * path wrote events, then kept by each commit, so the dedupe needs no statement for new ids; a failed
   * commit drops it.
   */
  readonly messageIds = new StoredMessageIds();
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;
  private readonly listeners: CommitListener[] = [];
  private readonly hooks: CommitHook[] = [];
  private readonly resolvedHooks: ResolvedHook[] = [];

  /**
   * How long commits take, from the recent ones (RecentCommitCost unless the options give another):
   * what a limit by time (CommitLimit.maxMs) is checked against. Each commit that succeeds is recorded.
   */
  readonly cost: CommitCostEstimate;

  constructor(
    private readonly store: Store,
    private readonly options: { source?: string; onListenerError?: (e: unknown) => void; cost?: CommitCostEstimate } = {},
  ) {
    this.cost = options.cost ?? new RecentCommitCost();
  }

  /** How a commit is bounded (one request is never split), asked before each commit; default 20,000 events. */
  private limit: () => number | CommitLimit | undefined = () => undefined;

  /**
   * Sets how a commit is bounded, asked again before each commit: a number is the most events
   * (CommitLimit.maxEvents). A server keeping segments live keeps its commits short (src/server/realtime.ts).
   */
  limitCommits(limit: () => number | CommitLimit | undefined): void {
    this.limit = limit;
  }

  /**
   * Reads the identity map (identities) and the filter of stored message ids (messageIds) now, so that
   * the first commit does not pay for them: a few hundred milliseconds on a shop of 100,000 customers
   * (the ids: about 0.5 s per million events). Optional; commits read them when they need them.
   */
  async prepare(): Promise<void> {
    // DuckDB checkpoints inside the commit whose write-ahead log passes checkpoint_threshold (16 MB by
    // default: about 75,000 live events), and a checkpoint writes the events table's primary-key index
    // out whole, which costs in proportion to every event stored: 2–3 s of stalled commits on 2 million
    // events, so throughput fell as the file grew. A server ingesting live checkpoints every 128 MB of
    // log instead (about 600,000 events); after a kill -9 that much log is replayed at the next start.
    await this.store.run(`SET checkpoint_threshold = '${LIVE_CHECKPOINT_THRESHOLD}'`);
    await this.store.transaction(async (tx) => {
      await this.identities.current(tx);
      await this.messageIds.current(tx);
    });
  }

  submit(events: readonly IncomingEvent[]): Promise<SubmitResult> {
    if (events.length === 0) return Promise.resolve({ stored: 0, duplicates: 0, suppressed: 0 });
    return new Promise<SubmitResult>((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.startDrain();
    });
  }

  /**
   * Starts draining the queue unless a drain is under way. A request queued after the drain found the
   * queue empty but before its promise settled would be left waiting for the next request (forever, on a
   * quiet server): so when a drain ends with requests queued, another starts.
   */
  private startDrain(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.startDrain();
    });
  }

  /**
   * Calls fn after each commit, once the requests it holds are answered. A listener runs outside the
   * transaction; its failure is reported through onListenerError and never affects ingestion.
   */
  onCommit(fn: CommitListener): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Runs fn inside each commit's transaction (see CommitHook); returns a function that removes it. */
  withinCommit(fn: CommitHook): () => void {
    this.hooks.push(fn);
    return () => {
      const i = this.hooks.indexOf(fn);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }

  /** Runs fn inside each commit's transaction as soon as its events are resolved (see ResolvedHook); returns a function that removes it. */
  whenResolved(fn: ResolvedHook): () => void {
    this.resolvedHooks.push(fn);
    return () => {
      const i = this.resolvedHooks.indexOf(fn);
      if (i >= 0) this.resolvedHooks.splice(i, 1);
    };
  }

  /** Resolves once every request submitted so far has been answered. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.nextGroup();
      try {
        await this.commit(group);
      } catch {
        for (const p of group) {
          try {
            await this.commit([p]);
          } catch (e) {
            p.reject(e);
          }
        }
      }
    }
  }

  /**
   * Takes the next group off the queue: requests in order while the group stays within the limit's events
   * and expected time (CommitLimit); the first request always, so no request is ever split or left behind.
   */
  private nextGroup(): Pending[] {
    const given = this.limit();
    const limit: CommitLimit = typeof given === 'number' ? { maxEvents: given } : (given ?? {});
    const maxEvents = limit.maxEvents ?? DEFAULT_MAX_EVENTS_PER_COMMIT;
    const group: Pending[] = [];
    let n = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!.events.length;
      if (group.length > 0) {
        if (n + next > maxEvents) break;
        if (limit.maxMs !== undefined && (this.cost.expectedMs(n + next) ?? 0) > limit.maxMs) break;
      }
      group.push(this.queue.shift()!);
      n += next;
    }
    return group;
  }

  private async commit(group: readonly Pending[]): Promise<void> {
    const events = group.flatMap((p) => p.events);
    let outcome: IngestOutcome;
    let started = 0;
    let early: Promise<void>[] = [];
    try {
      outcome = await this.store.transaction(async (tx) => {
        // Timed from inside: a wait for the store's mutex is not the commit's cost.
        started = performance.now();
        const resolved =
          this.resolvedHooks.length === 0
            ? undefined
            : (events: IngestOutcome['events'], merged: ReadonlyMap<string, string>): void => void (early = this.resolvedHooks.map((h) => h(tx, events, merged)));
        const o = await ingestRequests(
          tx,
          group.map((p) => p.events),
          this.options.source,
          { identities: this.identities, messageIds: this.messageIds, resolved },
        );
        if (o.stored.size > 0) for (const hook of this.hooks) await hook(tx, o);
        // Nothing started on the resolved events outlives the transaction.
        await Promise.all(early);
        return o;
      });
    } catch (e) {
      // Work started on the resolved events ends before the transaction is retried or given up.
      await Promise.allSettled(early);
      // The map may hold identities of the rolled-back commit. The id filter stays exact through a
      // rollback (a superset), but a failure may come from an event write it was never told of (a
      // primary-key clash): the retries read it again.
      this.identities.invalidate();
      this.messageIds.invalidate();
      throw e;
    }
    this.cost.record(events.length, performance.now() - started);
    // A messageId is credited to the first request of the group that carried it.
    const credited = new Set<string>();
    for (const p of group) {
      let stored = 0;
      let suppressed = 0;
      for (const e of p.events) {
        if (outcome.stored.has(e.messageId) && !credited.has(e.messageId)) {
          credited.add(e.messageId);
          stored++;
        } else if (outcome.suppressed.has(e.messageId)) suppressed++;
      }
      p.resolve({ stored, duplicates: p.events.length - stored - suppressed, suppressed });
    }
    if (this.listeners.length > 0 && outcome.stored.size > 0) {
      const seen = new Set<string>();
      const stored = events
        .filter((e) => outcome.stored.has(e.messageId) && !seen.has(e.messageId) && seen.add(e.messageId))
        .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
      const notice: CommitNotice = { events: stored, customers: outcome.customers, merged: outcome.merged };
      for (const fn of this.listeners) {
        try {
          await fn(notice);
        } catch (e) {
          this.options.onListenerError?.(e);
        }
      }
    }
  }
}
