import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../../src/demo/generate.js';
import { createSegment } from '../../../src/segments/manage/crud.js';
import { explainMembership } from '../../../src/segments/manage/explain.js';
import { segmentMembers } from '../../../src/segments/manage/history.js';
import { refreshSegments } from '../../../src/segments/manage/refresh.js';
import type { Store } from '../../../src/store/db.js';
import { tempStore } from '../../helpers/store.js';

/**
 * Cart abandonment on the demo shop, checked against a brute-force reading of the documented rule:
 * some Checkout Started at t within the last 30 days has no Order Completed in (t, t + 1h], and
 * t + 1h is not after as_of.
 */
const end = new Date('2025-01-01T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let store: Store;
let cleanup: () => void;

beforeAll(async () => {
  const t = await tempStore();
  store = t.store;
  cleanup = t.cleanup;
  await generateDemo(store, { customers: 1500, days: 60, seed: 11, end });
}, 300_000);
afterAll(() => cleanup());

function bruteForce(events: readonly { customer_id: string; event: string; timestamp: Date }[], asOf: Date): string[] {
  const byCustomer = new Map<string, { event: string; t: number }[]>();
  for (const e of events) {
    if (e.timestamp.getTime() > asOf.getTime()) continue;
    const list = byCustomer.get(e.customer_id) ?? [];
    list.push({ event: e.event, t: e.timestamp.getTime() });
    byCustomer.set(e.customer_id, list);
  }
  const out: string[] = [];
  for (const [id, list] of byCustomer) {
    const orders = list.filter((e) => e.event === 'Order Completed').map((e) => e.t);
    const abandoned = list.some(
      (e) =>
        e.event === 'Checkout Started' &&
        e.t > asOf.getTime() - 30 * DAY &&
        e.t + HOUR <= asOf.getTime() &&
        !orders.some((o) => o > e.t && o <= e.t + HOUR),
    );
    if (abandoned) out.push(id);
  }
  return out.sort();
}

describe('cart abandonment on the demo shop', () => {
  it('refreshes to exactly the customers a brute-force scan finds, and explains one', async () => {
    await createSegment(store, {
      name: 'abandoned carts',
      definition: { query: 'performed "Checkout Started" within 30d then not "Order Completed" within 1h' },
    });
    const [r] = await refreshSegments(store, { asOf: end });
    const events = await store.all<{ customer_id: string; event: string; timestamp: Date }>(
      `SELECT customer_id, event, timestamp FROM events
       WHERE type = 'track' AND event IN ('Checkout Started', 'Order Completed') AND customer_id IS NOT NULL`,
    );
    const expected = bruteForce(events, end);
    expect(expected.length).toBeGreaterThan(0);
    expect(r!.members).toBe(expected.length);
    const members = await segmentMembers(store, 'abandoned carts', { limit: 100_000 });
    expect(members.members.map((m) => m.customer_id)).toEqual(expected);
    const why = await explainMembership(store, 'abandoned carts', expected[0]!, end);
    expect(why.member).toBe(true);
  });
});
