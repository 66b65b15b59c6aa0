import type { Store } from '../../store/db.js';
import type { IncomingEvent } from '../events/message.js';
import { ingestEvents } from './ingest.js';

export interface SubmitResult {
  /** events of the request stored now */
  readonly stored: number;
  /** events of the request already stored before (same messageId), so changed nothing */
  readonly duplicates: number;
}

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
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: { source?: string; maxEventsPerCommit?: number } = {},
  ) {}

  submit(events: readonly IncomingEvent[]): Promise<SubmitResult> {
    if (events.length === 0) return Promise.resolve({ stored: 0, duplicates: 0 });
    return new Promise<SubmitResult>((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.running ??= this.drain().finally(() => {
        this.running = undefined;
      });
    });
  }

  /** Resolves once every request submitted so far has been answered. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    const max = this.options.maxEventsPerCommit ?? 20_000;
    while (this.queue.length > 0) {
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
    const outcome = await this.store.transaction((tx) => ingestEvents(tx, group.flatMap((p) => p.events), this.options.source));
    // A messageId is credited to the first request of the group that carried it.
    const credited = new Set<string>();
    for (const p of group) {
      let stored = 0;
      for (const e of p.events) {
        if (outcome.stored.has(e.messageId) && !credited.has(e.messageId)) {
          credited.add(e.messageId);
          stored++;
        }
      }
      p.resolve({ stored, duplicates: p.events.length - stored });
    }
  }
}
