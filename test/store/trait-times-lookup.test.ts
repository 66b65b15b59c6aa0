import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customerTraits } from '../../src/store/queries/identity.js';
import { placeholderList } from '../../src/store/queries/identity-columns.js';
import { traitsAndTimesOf } from '../../src/store/queries/traits.js';
import { storePerFile } from '../helpers/store.js';

// What a live commit's identify calls read (traitsAndTimesOf: customers' traits and trait_times, in one
// statement): through the indexes (trait_times_customer of migration 29, customers' primary key) and by
// a scan, against the rows the test itself wrote and against customerTraits.

const CUSTOMERS = 300;
/** Ids besides the generated ones: separators of the scan's list encoding, quotes, non-Latin. */
const ODD = ['', 'a\u001eb', '\u001f', "o'brien", 'ü-ß-中', '😀', 'NULL'];
const TRAITS = ['plan', 'name', 'email'];
/** The time the test writes for customer i and trait t: ms since the epoch. */
const timeOf = (i: number, t: number): number => Date.UTC(2024, 0, 1) + i * 60_000 + t * 1_000;

const shared = storePerFile(async (store) => {
  await store.run(
    `INSERT INTO trait_times (customer_id, trait, decided_at, source)
     SELECT 'c' || i, ['plan', 'name', 'email'][t + 1], TIMESTAMP '2024-01-01' + to_milliseconds(i * 60000 + t * 1000), 'test'
     FROM range(${CUSTOMERS}) a(i), range(3) b(t) WHERE (i + t) % 4 <> 0`,
  );
  // every other generated customer has a row in customers, some without trait times
  await store.run(
    `INSERT INTO customers (customer_id, created_at, updated_at, traits)
     SELECT 'c' || i, TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-02', json_object('n', i) FROM range(0, ${CUSTOMERS}, 2) t(i)`,
  );
  for (const id of ODD) {
    await store.run("INSERT INTO trait_times VALUES ($1, 'plan', TIMESTAMP '2024-01-01', 'test')", [id]);
    await store.run("INSERT INTO customers (customer_id, created_at, updated_at, traits) VALUES ($1, TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', '{}')", [id]);
  }
});

/** What the test wrote for this id: trait → time. */
function written(id: string): Map<string, number> | undefined {
  if (ODD.includes(id)) return new Map([['plan', Date.UTC(2024, 0, 1)]]);
  const m = /^c(\d+)$/.exec(id);
  if (!m || Number(m[1]) >= CUSTOMERS || String(Number(m[1])) !== m[1]) return undefined;
  const i = Number(m[1]);
  const out = new Map<string, number>();
  TRAITS.forEach((t, j) => {
    if ((i + j) % 4 !== 0) out.set(t, timeOf(i, j));
  });
  return out.size > 0 ? out : undefined;
}

/** Whether the test wrote a customers row for this id. */
function hasRow(id: string): boolean {
  if (ODD.includes(id)) return true;
  const m = /^c(\d+)$/.exec(id);
  return m !== null && String(Number(m[1])) === m[1] && Number(m[1]) < CUSTOMERS && Number(m[1]) % 2 === 0;
}

const ids = fc.array(
  fc.oneof(
    fc.nat(CUSTOMERS - 1).map((i) => `c${i}`),
    fc.nat(CUSTOMERS * 2).map((i) => `c${i}x`),
    fc.constantFrom(...ODD),
    fc.string({ maxLength: 3 }),
  ),
  { maxLength: 150 },
);

const asObject = (m: Map<string, Map<string, number>>): Record<string, Record<string, number>> =>
  Object.fromEntries([...m].map(([id, t]) => [id, Object.fromEntries(t)]));

describe('traits and trait times by customer (traitsAndTimesOf)', () => {
  it('looks a few customers up in the indexes of both tables (trait_times_customer: migration 29), scanning neither', async () => {
    const sql = `EXPLAIN ANALYZE SELECT customer_id, trait, decided_at FROM trait_times WHERE customer_id IN (${placeholderList(3)})`;
    const plan = (await shared.store.all<{ explain_value: string }>(sql, ['c1', 'c2', 'c3'])).map((r) => r.explain_value).join('\n');
    expect(plan).toContain('Index Scan');
    expect(plan).not.toContain('Sequential Scan');
    // the statement traitsAndTimesOf sends, as its index plan builds it
    const profiled: string[] = [];
    const spy = { ...shared.store, all: async <R>(q: string, p?: unknown[]) => (profiled.push(q), shared.store.all<R>(q, p as never)) };
    await traitsAndTimesOf(spy as never, ['c1', 'c2', 'c3'], 'index');
    expect(profiled).toHaveLength(1);
    const both = (await shared.store.all<{ explain_value: string }>(`EXPLAIN ANALYZE ${profiled[0]}`, ['c1', 'c2', 'c3'])).map((r) => r.explain_value).join('\n');
    expect(both.match(/Index Scan/g)).toHaveLength(2);
    expect(both).not.toContain('Sequential Scan');
  });

  it('gives the times written and the customers\' traits, the same by the indexes and by a scan, for any list of customers', async () => {
    await fc.assert(
      fc.asyncProperty(ids, async (list) => {
        const expected = new Map<string, Map<string, number>>();
        for (const id of list) {
          const w = written(id);
          if (w) expected.set(id, w);
        }
        const byIndex = await traitsAndTimesOf(shared.store, list, 'index');
        const byScan = await traitsAndTimesOf(shared.store, list, 'scan');
        expect(asObject(byIndex.times)).toEqual(asObject(expected));
        expect(asObject(byScan.times)).toEqual(asObject(byIndex.times));
        const traits = sorted(await customerTraits(shared.store, list, 'scan'));
        expect(traits.map((r) => r.customer_id)).toEqual(sorted([...new Set(list.filter(hasRow))].map((customer_id) => ({ customer_id }))).map((r) => r.customer_id));
        expect(sorted(byIndex.traits)).toEqual(traits);
        expect(sorted(byScan.traits)).toEqual(traits);
      }),
      { numRuns: 60 },
    );
  });
});

function sorted<T extends { customer_id: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (a.customer_id < b.customer_id ? -1 : a.customer_id > b.customer_id ? 1 : 0));
}
