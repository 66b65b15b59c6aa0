import { describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { GroupCommitter } from '../../src/ingest/live/committer.js';
import type { Store } from '../../src/store/db.js';
import { insertEvents } from '../../src/store/queries/events.js';
import { scratchStores } from '../helpers/store.js';

/**
 * Live events go into the events table through DuckDB's appender (insertEvents), not an INSERT
 * statement. The appender must write within the connection's open transaction: a group commit that fails
 * after its events were appended must leave none of them, or the retry request by request would find its
 * own events stored and answer them as duplicates (acknowledged as stored by nobody: lost to the client's
 * count), and a primary-key clash in the append must fall back to request by request, nothing lost and
 * nothing doubled.
 */

const ev = (messageId: string, i: number): IncomingEvent => {
  const t = new Date(Date.UTC(2024, 0, 1) + i * 1000);
  return { messageId, type: 'track', event: 'Viewed', userId: `u-${i % 7}`, timestamp: t, receivedAt: t };
};
const request = (r: number, size: number): IncomingEvent[] => Array.from({ length: size }, (_, i) => ev(`r${r}-${i}`, r * 1000 + i));
const ids = async (store: Store): Promise<string[]> => (await store.all<{ message_id: string }>('SELECT message_id FROM events ORDER BY message_id')).map((r) => r.message_id);

// A fresh store per test, copied rather than migrated anew (scratchStores).
const scratch = scratchStores();

describe('events appended inside a transaction', () => {
  it('are gone when it rolls back, and stay when it commits', async () => {
    const store = await scratch();
    const rows = request(0, 3).map((e) => ({ ...e, customerId: null, source: 'test' }));
    await expect(
      store.transaction(async (tx) => {
        await insertEvents(tx, rows);
        // the transaction sees its own appended rows…
        expect((await tx.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM events'))?.n).toBe(3);
        throw new Error('fail after the append');
      }),
    ).rejects.toThrow('fail after the append');
    // …and the rollback takes them away
    expect(await ids(store)).toEqual([]);
    await store.transaction((tx) => insertEvents(tx, rows));
    expect(await ids(store)).toEqual(['r0-0', 'r0-1', 'r0-2']);
    store.close();
  });
});

describe('a group commit that fails', () => {
  it('leaves none of its appended events; the retries store each request once', async () => {
    const store = await scratch();
    const c = new GroupCommitter(store);
    let failures = 0;
    // Fails any commit holding more than one request's events, after they were appended.
    c.withinCommit(async (tx, outcome) => {
      if (outcome.stored.size > 4) {
        failures++;
        expect((await tx.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM events'))?.n).toBeGreaterThan(4);
        throw new Error('group too large');
      }
    });
    const answers = await Promise.all([0, 1, 2, 3].map((r) => c.submit(request(r, 4))));
    expect(failures).toBeGreaterThan(0);
    expect(answers).toEqual(Array(4).fill({ stored: 4, duplicates: 0, suppressed: 0 }));
    expect(await ids(store)).toEqual([0, 1, 2, 3].flatMap((r) => request(r, 4).map((e) => e.messageId)).sort());
    store.close();
  });

  it('rejects only the request that fails alone, and stores nothing of it', async () => {
    const store = await scratch();
    const c = new GroupCommitter(store);
    c.withinCommit(async (_tx, outcome) => {
      if (outcome.stored.has('r2-0')) throw new Error('request 2 fails');
    });
    const settled = await Promise.allSettled([0, 1, 2, 3].map((r) => c.submit(request(r, 3))));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await ids(store)).toEqual([0, 1, 3].flatMap((r) => request(r, 3).map((e) => e.messageId)).sort());
    store.close();
  });

  it('on a primary-key clash in the append, falls back to request by request: nothing lost, nothing doubled', async () => {
    const store = await scratch();
    const c = new GroupCommitter(store);
    await c.submit([ev('first', 1)]);
    // Written outside segmint's counted writes, so the filter of stored ids clears 'r2-1' as new and the
    // group's append fails on the primary key.
    await store.run(
      "INSERT INTO events (message_id, type, timestamp, received_at, source) VALUES ('r2-1', 'track', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', 'raw')",
    );
    const commits: number[] = [];
    c.onCommit((n) => void commits.push(n.events.length));
    const answers = await Promise.all([0, 1, 2, 3].map((r) => c.submit(request(r, 3))));
    expect(answers).toEqual([
      { stored: 3, duplicates: 0, suppressed: 0 },
      { stored: 3, duplicates: 0, suppressed: 0 },
      { stored: 2, duplicates: 1, suppressed: 0 },
      { stored: 3, duplicates: 0, suppressed: 0 },
    ]);
    // request 0 alone, then the group of 1–3 failed and each was committed alone
    expect(commits).toEqual([3, 3, 2, 3]);
    const stored = await ids(store);
    expect(stored).toEqual(['first', ...[0, 1, 2, 3].flatMap((r) => request(r, 3).map((e) => e.messageId))].sort());
    expect((await store.one<{ source: string }>("SELECT source FROM events WHERE message_id = 'r2-1'"))?.source).toBe('raw');
    store.close();
  });
});
