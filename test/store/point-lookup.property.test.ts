import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storedMessageIds } from '../../src/store/queries/events.js';
import { customerTraits, existingCustomerIds } from '../../src/store/queries/identity.js';
import { forgetRowCounts, POINT_CHUNK, pointLookup, preferPointLookup } from '../../src/store/queries/identity-columns.js';
import { storedOrders } from '../../src/store/queries/orders.js';
import { storePerFile } from '../helpers/store.js';

// Primary-key lookups by placeholder lists (pointLookup) against the one-statement scans they replace on
// live commits, and against the set of rows the test itself wrote: the same rows for any list of keys,
// present or absent, repeated, of any characters (the scans' list encoding has its own separators), of
// any length across the slices of POINT_CHUNK.

/** Ids the test writes besides the generated ones: separators of the list encoding, quotes, non-Latin. */
const ODD = ['', 'a\u001eb', '\u001f', "o'brien", 'a,b', 'ü-ß-中', '😀', ' lead', 'trail ', 'NULL'];
/** Enough rows that storedMessageIds takes the index plan for up to 160 keys (preferPointLookup). */
const EVENTS = 320_000;
const ORDERS = 400;

const shared = storePerFile(async (store) => {
  await store.run(
    `INSERT INTO events (message_id, type, customer_id, timestamp, received_at, source)
     SELECT 'm' || i, 'track', 'c' || (i % 500), TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', 'test' FROM range(${EVENTS}) t(i)`,
  );
  await store.run(
    `INSERT INTO customers (customer_id, created_at, updated_at, traits)
     SELECT 'c' || i, TIMESTAMP '2024-01-01' + to_seconds(i), TIMESTAMP '2024-01-02', json_object('n', i) FROM range(500) t(i)`,
  );
  await store.run(
    `INSERT INTO orders (order_id, customer_id, kind, placed_at, revenue, source, message_id)
     SELECT 'o' || i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'c' || (i % 500) END, 'order', TIMESTAMP '2024-01-01', i, 'test', 'm' || i FROM range(${ORDERS}) t(i)`,
  );
  await store.run("INSERT INTO order_claims SELECT 'o' || i FROM range(0, 400, 3) t(i)");
  for (const id of ODD) {
    await store.run("INSERT INTO events (message_id, type, timestamp, received_at, source) VALUES ($1, 'track', now()::TIMESTAMP, now()::TIMESTAMP, 'test')", [id]);
    await store.run("INSERT INTO customers (customer_id, created_at, updated_at, traits) VALUES ($1, TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', '{}')", [id]);
    await store.run("INSERT INTO orders (order_id, kind, placed_at, revenue, source) VALUES ($1, 'order', TIMESTAMP '2024-01-01', 1, 'test')", [id]);
  }
});

/** Keys: stored ones (generated and odd), absent ones close to them, repeats. */
const keys = (prefix: string, stored: number, maxLength: number): fc.Arbitrary<string[]> =>
  fc.array(
    fc.oneof(
      fc.nat(stored - 1).map((i) => `${prefix}${i}`),
      fc.nat(stored * 2).map((i) => `${prefix}${i}x`),
      fc.constantFrom(...ODD),
      fc.constantFrom(...ODD).map((s) => `${s}?`),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength },
  );

const sorted = <T>(xs: Iterable<T>, key: (x: T) => string): T[] => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

describe('primary-key lookups by placeholder list (pointLookup)', () => {
  it('takes the index plan for lists short against the table, the scan otherwise', async () => {
    // Counted on this file's database, not one another file counted in the last seconds.
    forgetRowCounts();
    expect(await preferPointLookup(shared.store, 'events', POINT_CHUNK)).toBe(true);
    expect(await preferPointLookup(shared.store, 'events', 150)).toBe(true);
    expect(await preferPointLookup(shared.store, 'events', 1_000)).toBe(false);
    expect(await preferPointLookup(shared.store, 'orders', 1)).toBe(false);
  });

  it('storedMessageIds: the same ids as the scan and as the rows written, for lists across the slices', async () => {
    const written = (id: string): boolean => ODD.includes(id) || (/^m\d+$/.test(id) && Number(id.slice(1)) < EVENTS);
    await fc.assert(
      fc.asyncProperty(keys('m', EVENTS, 150), async (ids) => {
        const fast = await storedMessageIds(shared.store, ids, 'index');
        const scan = await storedMessageIds(shared.store, ids, 'scan');
        expect(sorted(fast, String)).toEqual(sorted(scan, String));
        expect(sorted(await storedMessageIds(shared.store, ids), String)).toEqual(sorted(scan, String));
        expect(sorted(fast, String)).toEqual(sorted(new Set(ids.filter(written)), String));
      }),
      { numRuns: 60 },
    );
  });

  it('pointLookup returns each row of every slice once, whatever the order and repeats of the keys', async () => {
    await fc.assert(
      fc.asyncProperty(keys('c', 500, 400), async (ids) => {
        const rows = await pointLookup<{ customer_id: string }>(shared.store, ids, (list) => `SELECT customer_id FROM customers WHERE customer_id IN (${list})`);
        const expected = new Set(ids.filter((id) => ODD.includes(id) || (/^c\d+$/.test(id) && Number(id.slice(1)) < 500)));
        expect(sorted(rows.map((r) => r.customer_id), String)).toEqual(sorted(expected, String));
      }),
      { numRuns: 40 },
    );
  });

  it('storedOrders, existingCustomerIds and customerTraits by index: the same rows as their scans', async () => {
    await fc.assert(
      fc.asyncProperty(keys('o', ORDERS, 90), keys('c', 500, 90), async (orderIds, customerIds) => {
        const orders = await storedOrders(shared.store, orderIds, 'index');
        expect(sorted(orders.entries(), (e) => e[0])).toEqual(sorted((await storedOrders(shared.store, orderIds, 'scan')).entries(), (e) => e[0]));
        for (const [id, o] of orders) expect(o.claimed_by_browser).toBe(/^o\d+$/.test(id) && Number(id.slice(1)) % 3 === 0);
        expect(sorted(await existingCustomerIds(shared.store, customerIds, 'index'), String)).toEqual(sorted(await existingCustomerIds(shared.store, customerIds, 'scan'), String));
        const traits = await customerTraits(shared.store, customerIds, 'index');
        expect(sorted(traits, (r) => r.customer_id)).toEqual(sorted(await customerTraits(shared.store, customerIds, 'scan'), (r) => r.customer_id));
        expect(new Set(traits.map((r) => r.customer_id)).size).toBe(traits.length);
      }),
      { numRuns: 40 },
    );
  });
});
