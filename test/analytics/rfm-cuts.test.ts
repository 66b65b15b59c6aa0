import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GROUPS_3, DEFAULT_GROUPS_5, cellNames } from '../../src/analytics/rfm/groups.js';
import type { OrderRecord } from '../../src/analytics/rfm/rfmInMemory.js';
import { scoreValues } from '../../src/analytics/rfm/scoreValues.js';
import type { Store } from '../../src/store/db.js';
import { rfmRows } from '../../src/store/queries/analytics/rfm.js';
import { tempStore } from '../helpers/store.js';
import { day, insertOrders } from './helpers/orders.js';

// The SQL scores a value by counting cut values (store/queries/analytics/rfm.ts) instead of ranking the
// base. Here its scores are compared with the plain mid-rank of every value (scoreValues, itself checked
// pair by pair in rfm.test.ts) on bases where most customers share a value: ties at the bottom, in the
// middle and at the top, including a top tie so large that no value reaches the last cut.
let store: Store;
let cleanup: () => void;
beforeAll(async () => {
  ({ store, cleanup } = await tempStore());
});
afterAll(() => cleanup());

const asOf = day('2024-06-01');

/** A customer as the three values RFM reads: whole days since the last order, orders, total revenue. */
const customerArb = fc.record({
  recency: fc.oneof(fc.constant(3), fc.constant(40), fc.integer({ min: 0, max: 9 })),
  frequency: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 4 })),
  monetary: fc.oneof(fc.constant(25), fc.constant(0), fc.integer({ min: 1, max: 6 }).map((c) => c * 12.5)),
});

/** Orders giving each customer exactly its values: the last one `recency` days (and an hour) before as_of. */
function ordersOf(customers: readonly { recency: number; frequency: number; monetary: number }[]): OrderRecord[] {
  return customers.flatMap((c, i) =>
    Array.from({ length: c.frequency }, (_, j) => ({
      customerId: `c${i}`,
      kind: 'order' as const,
      placedAt: new Date(asOf.getTime() - (c.recency + j * 7) * 86_400_000 - 3_600_000),
      revenue: j === 0 ? c.monetary : 0,
    })),
  );
}

describe('RFM scores from cut values', () => {
  it('equal the mid-rank scores of every value on bases full of ties (5 and 3 bins)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(customerArb, { minLength: 1, maxLength: 150 }), async (customers) => {
        await store.run('DELETE FROM orders');
        await store.run('DELETE FROM customers');
        await insertOrders(store, ordersOf(customers));
        for (const table of [DEFAULT_GROUPS_5, DEFAULT_GROUPS_3]) {
          const rows = await rfmRows(store, asOf, table.bins, cellNames(table));
          expect(rows).toHaveLength(customers.length);
          expect(rows.map((r) => r.r)).toEqual(scoreValues(rows.map((r) => r.recency_days), 'lower', table.bins));
          expect(rows.map((r) => r.f)).toEqual(scoreValues(rows.map((r) => r.frequency), 'higher', table.bins));
          expect(rows.map((r) => r.m)).toEqual(scoreValues(rows.map((r) => Number(r.monetary)), 'higher', table.bins));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('scores a top tie of most of the base at its middle, where no value reaches the upper cuts', async () => {
    // 9 customers ordered 3 times, 1 once: the nine are tied at w = 1, t = 9: 1 + ⌊5·11/20⌋ = 3; the one: 1 + ⌊5/20⌋ = 1.
    await store.run('DELETE FROM orders');
    await store.run('DELETE FROM customers');
    await insertOrders(store, ordersOf([...Array.from({ length: 9 }, () => ({ recency: 2, frequency: 3, monetary: 30 })), { recency: 2, frequency: 1, monetary: 30 }]));
    const rows = await rfmRows(store, asOf, 5, cellNames(DEFAULT_GROUPS_5));
    expect(rows.map((r) => r.f)).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 1]);
    expect(rows.map((r) => r.r)).toEqual(Array(10).fill(3));
  });
});
