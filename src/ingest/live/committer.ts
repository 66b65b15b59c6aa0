import type { Store, Transaction } from '../../store/db.js';
import type { IncomingEvent } from '../events/message.js';
import { StoredMessageIds } from '../events/stored-ids.js';
import { IdentityMap } from '../identity/identity-map.js';
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

  constructor(
    private readonly store: Store,
    private readonly options: { source?: string; onListenerError?: (e: unknown) => void } = {},
  ) {}

  /** The most events one commit takes (one request is never split), asked before each commit; default 20,000. */
  private maxEvents: () => number | undefined = () => undefined;

  /**
   * Sets how many events a commit may take at most, asked again before each commit (a server keeping
   * segments live keeps its commits short: src/server/realtime.ts).
   */
  limitCommits(maxEvents: () => number | undefined): void {
    this.maxEvents = maxEvents;
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

  /** Resolves once every request submitted so far has been answered. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const max = this.maxEvents() ?? 20_000;
      const group: Pending[] = [];
      let n = 0;
      while (this.queue.length > 0 && (group.length === 0 || n + this.queue[0]!.events.length <= max)) {
        const p = this.queue.shift()!;
        group.push(p);
        n += p.events.length;
      }
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

  private async commit(group: readonly Pending[]): Promise<void> {
    const events = group.flatMap((p) => p.events);
    let outcome: IngestOutcome;
    try {
      outcome = await this.store.transaction(async (tx) => {
        const o = await ingestRequests(
          tx,
          group.map((p) => p.events),
          this.options.source,
          { identities: this.identities, messageIds: this.messageIds },
        );
        if (o.stored.size > 0) for (const hook of this.hooks) await hook(tx, o);
        return o;
      });
    } catch (e) {
      // The map may hold identities of the rolled-back commit. The id filter stays exact through a
      // rollback (a superset), but a failure may come from an event write it was never told of (a
      // primary-key clash): the retries read it again.
      this.identities.invalidate();
      this.messageIds.invalidate();
      throw e;
    }
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
