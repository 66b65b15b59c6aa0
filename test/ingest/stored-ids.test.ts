import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BloomFilter } from '../../src/ingest/events/bloom-filter.js';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { StoredMessageIds } from '../../src/ingest/events/stored-ids.js';
import { importFile } from '../../src/ingest/import/run.js';
import { GroupCommitter } from '../../src/ingest/live/committer.js';
import { ingestEvents } from '../../src/ingest/live/ingest.js';
import { eventWriteCount } from '../../src/store/queries/event-writes.js';
import { storedMessageIds } from '../../src/store/queries/events.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchStores } from '../helpers/store.js';

/**
 * The live dedupe answers "is this message id stored?" from a Bloom filter of the stored ids
 * (src/ingest/events/stored-ids.ts) and looks up only the ids the filter cannot clear. A wrong "new"
 * would fail a whole group on the primary key, so: the filter must never clear an id it was given
 * (property, any string); its answers must equal the table's, for ids of every kind, through writes by
 * other paths (imports, another ingester); and a write it was never told of must cost a retry, not a
 * failed request.
 */

const ev = (messageId: string, minute = 0): IncomingEvent => {
  const t = new Date(Date.UTC(2024, 0, 1) + minute * 60_000);
  return { messageId, type: 'track', event: 'Viewed', userId: `u-${minute % 7}`, timestamp: t, receivedAt: t };
};

// A fresh store per test, copied rather than migrated anew (scratchStores).
const scratch = scratchStores();

describe('BloomFilter', () => {
  it('never clears a string it was given, of any characters, as it grows past its capacity (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 3000 }), (xs) => {
        const f = new BloomFilter(0);
        for (const x of xs) f.add(x);
        return xs.every((x) => f.mayHold(x));
      }),
      { numRuns: 60 },
    );
  });

  it('clears almost every string it was not given: below 1.5 % false positives, within and past its capacity', () => {
    const f = new BloomFilter(20_000);
    for (let i = 0; i < 20_000; i++) f.add(`msg-${i}`);
    const rate = (from: number) => {
      let hits = 0;
      for (let i = from; i < from + 100_000; i++) if (f.mayHold(`msg-${i}`)) hits++;
      return hits / 100_000;
    };
    // The published rate at 16 bits and 8 hashes per string is 0.057 %: (1 − e^(−0.5))^8.
    expect(rate(1_000_000)).toBeLessThan(0.0015);
    // Eight times its first capacity: four tables, each at most at its own capacity.
    for (let i = 20_000; i < 160_000; i++) f.add(`msg-${i}`);
    expect(rate(1_000_000)).toBeLessThan(0.003);
    for (let i = 0; i < 160_000; i++) if (!f.mayHold(`msg-${i}`)) throw new Error(`lost msg-${i}`);
    // 2 to 4 bytes per string a table is sized for; the last table, just grown, is mostly empty.
    expect(f.bytes).toBeLessThan(160_000 * 7);
  });
});

describe('StoredMessageIds: the same answer as the table', () => {
  it('for ids of every kind (separators, empty, unicode), stored or not, through writes it made and writes it did not (property)', async () => {
    const store = await scratch();
    const odd = ['', 'a\u001eb', '\u001e', 'x\u001fy', 'é-ü-中', 'emoji-😀', ' spaced '];
    await store.transaction((tx) => ingestEvents(tx, odd.map((id, i) => ev(id, i))));
    const filter = new StoredMessageIds();
    const universe = [...odd, ...Array.from({ length: 40 }, (_, i) => `id-${i}`)];
    let minute = 100;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ ids: fc.subarray(universe, { maxLength: 6 }), mine: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        fc.subarray(universe),
        async (writes, asked) => {
          for (const w of writes) {
            await store.transaction(async (tx) => {
              const fresh = [...(await storedMessageIds(tx, w.ids, 'scan'))];
              const novel = w.ids.filter((id) => !fresh.includes(id));
              if (novel.length === 0) return;
              // Ours: told through added(); another path's: only the write count moves.
              await ingestEvents(tx, novel.map((id) => ev(id, minute++)));
              if (w.mine) filter.added(novel);
            });
          }
          const got = await store.transaction((tx) => filter.stored(tx, asked));
          const truth = await storedMessageIds(store, asked, 'scan');
          expect([...got].sort()).toEqual([...truth].sort());
        },
      ),
      { numRuns: 40 },
    );
    store.close();
  });

  it('a write of its own right after one of another path leaves it reading the table again', async () => {
    const store = await scratch();
    const filter = new StoredMessageIds();
    await store.transaction((tx) => filter.current(tx));
    await store.transaction((tx) => ingestEvents(tx, [ev('theirs', 1)]));
    await store.transaction(async (tx) => {
      await ingestEvents(tx, [ev('mine', 2)]);
      filter.added(['mine']);
    });
    const got = await store.transaction((tx) => filter.stored(tx, ['theirs', 'mine', 'neither']));
    expect([...got].sort()).toEqual(['mine', 'theirs']);
    store.close();
  });

  it('reads the table again after an import wrote events, and only then', async () => {
    const store = await scratch();
    const filter = new StoredMessageIds();
    await store.transaction((tx) => filter.current(tx));
    const reads = filter.tableReads;
    await store.transaction((tx) => filter.current(tx));
    expect(filter.tableReads).toBe(reads);
    const before = eventWriteCount();
    await importFile(store, join(fileURLToPath(new URL('../fixtures/import/', import.meta.url)), 'shopify-orders.csv'));
    expect(eventWriteCount()).toBeGreaterThan(before);
    const imported = (await store.all<{ message_id: string }>('SELECT message_id FROM events')).map((r) => r.message_id);
    expect(imported.length).toBeGreaterThan(0);
    const got = await store.transaction((tx) => filter.stored(tx, [...imported, 'never-sent']));
    expect(filter.tableReads).toBe(reads + 1);
    expect([...got].sort()).toEqual([...imported].sort());
    store.close();
  });
});

describe('the committer dedupes from the filter', () => {
  it('looks up no new id in a fresh shop, and still finds every repeat', async () => {
    const store = await scratch();
    const c = new GroupCommitter(store);
    await c.prepare();
    const first = await Promise.all(Array.from({ length: 8 }, (_, r) => c.submit(Array.from({ length: 250 }, (_, i) => ev(`r${r}-${i}`, i)))));
    expect(first.every((a) => a.stored === 250)).toBe(true);
    // 2,000 new ids in a filter sized for a million: none is a false positive.
    expect(c.messageIds.lookups).toBe(0);
    const again = await c.submit([ev('r3-7', 7), ev('r5-249', 249), ev('brand-new', 1)]);
    expect(again).toEqual({ stored: 1, duplicates: 2, suppressed: 0 });
    store.close();
  });

  it('an id written behind its back (raw SQL, uncounted) costs a retry, not a failed request', async () => {
    const store = await scratch();
    const c = new GroupCommitter(store);
    await c.submit([ev('first', 1)]);
    const reads = c.messageIds.tableReads;
    // Outside segmint's code: the write count does not move, so the filter clears 'sneaky' as new and the
    // append fails on the primary key; the committer drops the filter and retries the request alone.
    await store.run(
      "INSERT INTO events (message_id, type, timestamp, received_at, source) VALUES ('sneaky', 'track', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', 'raw')",
    );
    const r = await c.submit([ev('sneaky', 2), ev('other', 3)]);
    expect(r).toEqual({ stored: 1, duplicates: 1, suppressed: 0 });
    expect(c.messageIds.tableReads).toBe(reads + 1);
    const rows = await store.all<{ message_id: string; source: string }>('SELECT message_id, source FROM events ORDER BY message_id');
    expect(rows).toEqual([
      { message_id: 'first', source: 'http' },
      { message_id: 'other', source: 'http' },
      { message_id: 'sneaky', source: 'raw' },
    ]);
    store.close();
  });
});
