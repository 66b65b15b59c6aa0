import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSegment } from '../../../src/segments/manage/crud.js';
import { explainMembership, formatExplanation } from '../../../src/segments/manage/explain.js';
import { previewSegment } from '../../../src/segments/manage/preview.js';
import { refreshSegments } from '../../../src/segments/manage/refresh.js';
import { compileSegment, evaluateSegment, loadCustomerState, parseSegment } from '../../../src/segments/index.js';
import type { Param, Store } from '../../../src/store/db.js';
import { sharedFile, skipWithoutShared } from '../../helpers/shared-data.js';
import { onlineRetailStore } from '../../helpers/fixtures.js';

/**
 * Segment counts on the UCI Online Retail data at as_of 2011-12-10 (the day after the last invoice).
 * Imported orders are `Order Completed` events with order_id, revenue and products; cancellations
 * are `Order Refunded`.
 */
const file = sharedFile('online-retail.csv.gz');
if (!file) console.warn(skipWithoutShared('online-retail.csv.gz'));

const asOf = new Date('2011-12-10T00:00:00Z');
const expected: readonly (readonly [string, number])[] = [
  ['orders_count >= 5 and total_spent > 1000', 1018],
  ['last_order_at < -90d', 1449],
  ['performed "Order Completed" at least 3 times within 90d', 751],
  ['sum of revenue in "Order Completed" within 90d > 500', 1445],
  ['country = "Germany" and orders_count >= 2', 68],
];

describe.skipIf(!file)('segments on Online Retail (skipped without ../shared/data/online-retail.csv.gz)', () => {
  let store: Store;
  let cleanup: () => void;

  beforeAll(async () => {
    ({ store, cleanup } = await onlineRetailStore(file!));
  }, 300_000);
  afterAll(() => cleanup?.());

  it.each(expected)('%s → %i customers', async (query, count) => {
    const p = await previewSegment(store, { query }, { asOf, sampleSize: 3 });
    expect(p.count).toBe(count);
    expect(p.base).toBe(4372);
  });

  it('the evaluator agrees with the SQL on 150 customers for every query', async () => {
    const ids = (await store.all<{ customer_id: string }>('SELECT customer_id FROM customers WHERE merged_into IS NULL ORDER BY customer_id LIMIT 150')).map((r) => r.customer_id);
    const states = await Promise.all(ids.map((id) => loadCustomerState(store, id)));
    for (const [query] of expected) {
      const ast = parseSegment(query).ast!;
      const { sql, parameters } = compileSegment(ast, { asOf });
      const all = await store.all<{ customer_id: string }>(`SELECT customer_id FROM (${sql}) q`, parameters as Param[]);
      const sample = new Set(ids);
      const inSql = new Set(all.map((r) => r.customer_id).filter((id) => sample.has(id)));
      const inMemory = states.filter((s) => evaluateSegment(ast, s, { asOf }).member).map((s) => s.customerId);
      expect(new Set(inMemory), query).toEqual(inSql);
    }
  });

  it('refreshes a saved segment to the same count and explains a member and a non-member', async () => {
    await createSegment(store, { name: 'loyal big spenders', definition: { query: expected[0]![0] } });
    const [r] = await refreshSegments(store, { asOf, name: 'loyal big spenders' });
    expect(r).toMatchObject({ members: 1018, entered: 1018, exited: 0 });

    // 12347: 7 orders, 4,310 spent
    const member = await explainMembership(store, 'loyal big spenders', '12347', asOf);
    expect(member).toMatchObject({ member: true, storedMember: true });
    expect(member.explanation.result).toBe('true');
    expect(formatExplanation(member)).toMatch(/is in "loyal big spenders"/);
    // 12346: one large order, cancelled the same day
    const non = await explainMembership(store, 'loyal big spenders', '12346', asOf);
    expect(non).toMatchObject({ member: false, storedMember: false });
    expect(non.explanation.result).toBe('false');
    expect(formatExplanation(non)).toMatch(/is NOT in "loyal big spenders"/);
  });
});
