import { describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { GroupCommitter } from '../../src/ingest/live/committer.js';
import type { Store, Transaction } from '../../src/store/db.js';
import { scratchStores } from '../helpers/store.js';

/**
 * GroupCommitter.whenResolved: work on a commit's events may start once they are resolved, while
 * ingestion writes them (the real-time engine evaluates there). It gets the outcome's events and
 * merges, runs beside ingestion's statements (the commit does not wait for it before writing), and a
 * commit that fails after it started waits for it before the retry.
 */

const ev = (messageId: string, userId: string, i: number): IncomingEvent => {
  const t = new Date(Date.UTC(2024, 0, 1) + i * 1000);
  return { messageId, type: 'track', event: 'Viewed', userId, timestamp: t, receivedAt: t };
};

/** The store's transactions with a callback when events are appended (before the append runs). */
function onEventsAppend(store: Store, fn: () => void | Promise<void>): void {
  const original = store.transaction.bind(store);
  store.transaction = (<T>(body: (tx: Transaction) => Promise<T>): Promise<T> =>
    original((tx) =>
      body({
        ...tx,
        append: async (table, columns) => {
          if (table === 'events') await fn();
          return tx.append(table, columns);
        },
      }),
    )) as typeof store.transaction;
}

// A fresh store per test, copied rather than migrated anew (scratchStores).
const scratch = scratchStores();

describe('work started once a commit is resolved', () => {
  it("gets the outcome's events and runs while the events are written", async () => {
    const store = await scratch();
    const c = new GroupCommitter(store);
    const order: string[] = [];
    let release = (): void => undefined;
    const released = new Promise<void>((r) => (release = r));
    let seen: { ids: string[]; merged: number } | undefined;
    c.whenResolved(async (_tx, events, merged) => {
      seen = { ids: events.map((e) => e.event.messageId), merged: merged.size };
      order.push('resolved');
      // Finishes only once the events are being written: a committer that waited for it first would never get there.
      await released;
      order.push('resolved work done');
    });
    onEventsAppend(store, () => {
      order.push('events written');
      release();
    });
    let outcomeIds: string[] = [];
    c.withinCommit(async (_tx, outcome) => {
      outcomeIds = outcome.events.map((e) => e.event.messageId);
      order.push('hook');
    });
    const result = await c.submit([ev('a', 'u1', 0), ev('b', 'u2', 1)]);
    expect(result.stored).toBe(2);
    expect(seen).toEqual({ ids: outcomeIds, merged: 0 });
    expect(outcomeIds).toEqual(['a', 'b']);
    expect(order).toEqual(['resolved', 'events written', 'resolved work done', 'hook']);
    store.close();
  });

  it('is not started when nothing is stored, and a failed commit waits for it before the retry', async () => {
    const store = await scratch();
    const c = new GroupCommitter(store);
    await c.submit([ev('a', 'u1', 0)]);
    const log: string[] = [];
    let calls = 0;
    c.whenResolved(async (_tx, events) => {
      const n = ++calls;
      log.push(`resolved ${n}: ${events.map((e) => e.event.messageId).join(',')}`);
      await new Promise((r) => setTimeout(r, 50));
      log.push(`done ${n}`);
    });
    // the first commit of the group fails after its events were resolved
    let failed = false;
    c.withinCommit(async () => {
      if (!failed) {
        failed = true;
        log.push('commit fails');
        throw new Error('hook failure');
      }
    });
    // a duplicate alone stores nothing: no resolved work
    expect((await c.submit([ev('a', 'u1', 0)])).stored).toBe(0);
    expect(log).toEqual([]);
    const r = await c.submit([ev('b', 'u1', 1)]);
    expect(r.stored).toBe(1);
    expect(log).toEqual(['resolved 1: b', 'commit fails', 'done 1', 'resolved 2: b', 'done 2']);
    store.close();
  });
});
