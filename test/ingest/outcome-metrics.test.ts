import { describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { ingestEvents } from '../../src/ingest/live/ingest.js';
import { storePerTest } from '../helpers/store.js';

// The customer_metrics rows a commit's orders recomputed come with the ingest outcome (the real-time
// engine takes them instead of reading the rows again): they must be the rows the commit stored, for
// every customer it recomputed, and say "no row" for a customer left with no orders.

const store = storePerTest();

let seq = 0;
const order = (userId: string, orderId: string, at: string, trust: 'server' | 'browser', products: { id: string; category: string; price: number }[]): IncomingEvent => {
  const t = new Date(at);
  return {
    messageId: `m${++seq}`,
    type: 'track',
    event: 'Order Completed',
    userId,
    timestamp: t,
    receivedAt: t,
    trust,
    properties: { order_id: orderId, revenue: products.reduce((x, p) => x + p.price, 0), products: products.map((p) => ({ product_id: p.id, category: p.category, price: p.price, quantity: 1 })) },
  } as IncomingEvent;
};

describe('the ingest outcome hands over the metrics it recomputed', () => {
  it('as the rows stored, and as no row for a customer whose only order two browser claims took away', async () => {
    const s = await store();
    const first = await s.transaction((tx) =>
      ingestEvents(tx, [
        order('u1', 'o1', '2024-01-01T10:00:00Z', 'server', [{ id: 'p1', category: 'Shoes', price: 20 }]),
        order('u1', 'o2', '2024-01-05T10:00:00Z', 'server', [{ id: 'p2', category: 'Dresses', price: 35.5 }]),
        order('u2', 'o3', '2024-01-02T10:00:00Z', 'browser', [{ id: 'p1', category: 'Shoes', price: 12 }]),
      ]),
    );
    const rows = async () => new Map((await s.all<Record<string, unknown> & { customer_id: string }>('SELECT * FROM customer_metrics')).map((r) => [r.customer_id, r]));
    let stored = await rows();
    expect(first.metrics?.size).toBe(2);
    for (const [id, row] of first.metrics!) expect(row).toEqual(stored.get(id));
    expect(stored.size).toBe(2);

    // A second browser claim of o3 for another customer: neither is believed, so u2 has no order left.
    const second = await s.transaction((tx) => ingestEvents(tx, [order('u3', 'o3', '2024-01-03T10:00:00Z', 'browser', [{ id: 'p1', category: 'Shoes', price: 12 }])]));
    stored = await rows();
    const u2 = [...second.metrics!.keys()];
    expect(u2).toHaveLength(1);
    expect(second.metrics!.has(u2[0]!)).toBe(true);
    expect(second.metrics!.get(u2[0]!)).toBeUndefined();
    expect(stored.has(u2[0]!)).toBe(false);
    expect(stored.size).toBe(1);
  });
});

describe('order claims read with the stored orders (storedOrdersAndClaims)', () => {
  it('a claim left by an order deleted since does not outlive it: the id stored again by a trusted source is no claim', async () => {
    const s = await store();
    await s.run("INSERT INTO order_claims VALUES ('o7')");
    await s.transaction((tx) => ingestEvents(tx, [order('u1', 'o7', '2024-01-01T10:00:00Z', 'server', [{ id: 'p1', category: 'Shoes', price: 20 }])]));
    expect(await s.all('SELECT order_id FROM order_claims')).toEqual([]);
    // and a later browser claim for someone else is ignored, as for any trusted order
    await s.transaction((tx) => ingestEvents(tx, [order('u2', 'o7', '2024-01-02T10:00:00Z', 'browser', [{ id: 'p1', category: 'Shoes', price: 20 }])]));
    const owner = await s.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM orders o JOIN identities i ON i.customer_id = o.customer_id WHERE o.order_id = 'o7' AND i.kind = 'user_id' AND i.value = 'u1'");
    expect(owner!.n).toBe(1);
  });
});
