import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUPS_3, DEFAULT_GROUPS_5, cellNames, type RfmGroupTable } from '../../src/analytics/rfm/groups.js';
import { runRfm } from '../../src/analytics/rfm/rfm.js';
import type { OrderRecord } from '../../src/analytics/rfm/rfmInMemory.js';
import { rfmWarnings } from '../../src/analytics/rfm/warnings.js';
import { rfmRows, rfmScoredSql, rfmSummary, spreadSql, type RfmCountRow, type RfmSpread } from '../../src/store/queries/analytics/rfm.js';
import { storePerFile } from '../helpers/store.js';
import { day, insertOrders } from './helpers/orders.js';

// One RFM run now reads its warnings (the spread of the values) and its counts from a single scoring of
// the orders: the spread from the histograms the cut values come from, or from the snapshot it has just
// saved. Here both are compared with the computation they replace, run as it was: count(DISTINCT ...)
// and min(...) over every scored row (the old rfmSpread), and counts tallied from every scored row, on
// random bases full of ties, with refunds, half cents, negative totals and totals too large for 18 digits.
const file = storePerFile();

const asOf = day('2024-06-01');

/** The spread as RFM computed it before this change: count(DISTINCT ...) over a second scoring of the whole base. */
async function oldSpread(asOfDate: Date): Promise<RfmSpread> {
  return (await file.store.one<RfmSpread>(spreadSql(rfmScoredSql({ asOf: '$1', bins: '5', cells: '[]' })), [asOfDate]))!;
}

/** Counts per group and per score tallied from every scored row, in the order the summary gives them. */
async function tallied(table: RfmGroupTable): Promise<RfmCountRow[]> {
  const rows = await rfmRows(file.store, asOf, table.bins, cellNames(table));
  const counts = new Map<string, number>();
  for (const r of rows) {
    for (const [dimension, key] of [['group', r.rfm_group], ['r', String(r.r)], ['f', String(r.f)], ['m', String(r.m)]]) {
      counts.set(`${dimension}\t${key}`, (counts.get(`${dimension}\t${key}`) ?? 0) + 1);
    }
  }
  return [...counts]
    .map(([k, count]) => {
      const [dimension, key] = k.split('\t') as [RfmCountRow['dimension'], string];
      return { dimension, key, count };
    })
    .sort((a, b) => (a.dimension === b.dimension ? (a.key < b.key ? -1 : 1) : a.dimension < b.dimension ? -1 : 1));
}

/** Revenue of one order: a few shared amounts (ties), half cents, refunds, and amounts near DECIMAL(18,4)'s limit. */
const revenueArb = fc.oneof(
  { arbitrary: fc.constantFrom(0, 10, 25, 12.5), weight: 6 },
  { arbitrary: fc.constantFrom(0.005, 1.0049, 2.0051, -0.005, -3.125), weight: 2 },
  { arbitrary: fc.constantFrom(99_999_999_999_999, -99_999_999_999_999, 70_000_000_000_000.5, 99_999_999.005), weight: 1 },
);

const customerArb = fc.record({
  recency: fc.oneof(fc.constant(3), fc.constant(40), fc.integer({ min: 0, max: 6 })),
  orders: fc.array(revenueArb, { minLength: 1, maxLength: 3 }),
  refund: fc.option(revenueArb.map((r) => -Math.abs(r)), { freq: 4 }),
});

type Customer = typeof customerArb extends fc.Arbitrary<infer T> ? T : never;

function ordersOf(customers: readonly Customer[]): OrderRecord[] {
  return customers.flatMap((c, i) => [
    ...c.orders.map((revenue, j) => ({
      customerId: `c${i}`,
      kind: 'order' as const,
      placedAt: new Date(asOf.getTime() - (c.recency + j * 7) * 86_400_000 - 3_600_000),
      revenue,
    })),
    ...(c.refund === null ? [] : [{ customerId: `c${i}`, kind: 'refund' as const, placedAt: new Date(asOf.getTime() - 86_400_000), revenue: c.refund }]),
  ]);
}

async function load(customers: readonly Customer[]): Promise<void> {
  await file.store.run('DELETE FROM orders');
  await file.store.run('DELETE FROM customers');
  await insertOrders(file.store, ordersOf(customers));
}

describe('RFM spread and counts from the one scoring pass', () => {
  it('equal the old spread, the old warnings and counts tallied row by row, saved or not, and the customer row (5 and 3 bins)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(customerArb, { minLength: 1, maxLength: 60 }), async (customers) => {
        await load(customers);
        const old = await oldSpread(asOf);
        for (const table of [DEFAULT_GROUPS_5, DEFAULT_GROUPS_3]) {
          const summary = await rfmSummary(file.store, asOf, table.bins, cellNames(table));
          expect(summary.spread).toEqual(old);
          expect(summary.counts).toEqual(await tallied(table));
          const expected = rfmWarnings(old, table.bins, asOf);
          const [unsaved, saved] = [await runRfm(file.store, { asOf, table, save: false, customer: 'c0' }), await runRfm(file.store, { asOf, table, customer: 'c0' })];
          expect(unsaved.warnings).toEqual(expected);
          expect(saved.warnings).toEqual(expected);
          // The saved run reads its customer from the snapshot it has just written, the other scores the base.
          expect(saved.customer).toEqual(unsaved.customer);
          expect({ ...saved, saved: false }).toEqual(unsaved);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('rounds each net total to cents exactly as round(sum(revenue), 2), in and beyond 18 digits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(customerArb, { minLength: 1, maxLength: 40 }), async (customers) => {
        await load(customers);
        const differ = await file.store.one<{ n: number }>(
          `SELECT count(*)::INTEGER AS n
           FROM ${rfmScoredSql({ asOf: '$1', bins: '5', cells: '[]' })} s
           JOIN (SELECT customer_id, round(sum(revenue), 2) AS monetary FROM orders WHERE placed_at < $1::TIMESTAMP GROUP BY ALL) o
             USING (customer_id)
           WHERE s.monetary IS DISTINCT FROM o.monetary`,
          [asOf],
        );
        expect(differ!.n).toBe(0);
      }),
      { numRuns: 15 },
    );
  });

  it('with no one to score: the same refusal, saved or not, and the saved snapshot stays as it was', async () => {
    await load([{ recency: 3, orders: [10], refund: null }, { recency: 40, orders: [25, 25], refund: null }]);
    await runRfm(file.store, { asOf, table: DEFAULT_GROUPS_5 });
    const before = await file.store.all('SELECT * FROM customer_rfm ORDER BY customer_id');
    expect(before).toHaveLength(2);
    const early = day('2020-01-01');
    const refusal = (() => {
      try {
        rfmWarnings({ n: 0, recency_values: 0, frequency_values: 0, monetary_values: 0, recency: null, frequency: null, monetary: null }, 5, early);
      } catch (e) {
        return (e as Error).message;
      }
      return undefined;
    })();
    expect(await oldSpread(early)).toMatchObject({ n: 0, recency_values: 0, recency: null, monetary: null });
    expect((await rfmSummary(file.store, early, 5, cellNames(DEFAULT_GROUPS_5))).spread).toEqual(await oldSpread(early));
    for (const save of [false, true]) {
      await expect(runRfm(file.store, { asOf: early, table: DEFAULT_GROUPS_5, save })).rejects.toThrow(refusal);
    }
    expect(await file.store.all('SELECT * FROM customer_rfm ORDER BY customer_id')).toEqual(before);
  });
});
