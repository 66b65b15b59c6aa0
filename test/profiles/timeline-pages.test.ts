import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { GroupCommitter } from '../../src/ingest/live/committer.js';
import { customerTimeline } from '../../src/profiles/timeline.js';
import { tempStore } from '../helpers/store.js';

/**
 * Timeline pages never skip or repeat an item where items share one instant: an order and the
 * `Order Completed` event that carried it, the events of one request, times finer than a millisecond.
 * Paging by the time alone (`before` = the last item's time, strictly older) skipped the rest of a group
 * that a page boundary split.
 */
describe('customer timeline pages', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  const T = new Date('2025-05-05T10:00:00.000Z');
  beforeAll(async () => {
    t = await tempStore();
    const ev = (messageId: string, at: Date, e: Partial<IncomingEvent>): IncomingEvent =>
      ({ messageId, type: 'track', userId: 'pager', timestamp: at, receivedAt: at, ...e }) as IncomingEvent;
    const c = new GroupCommitter(t.store, { source: 'test' });
    await c.submit([
      ev('m-b', T, { event: 'Product Viewed', properties: { product_id: 'p1' } }),
      ev('m-a', T, { event: 'Order Completed', properties: { order_id: 'o-1', revenue: 10, products: [{ product_id: 'p1', price: 10, quantity: 1 }] } }),
      ev('m-c', T, { event: 'Product Viewed', properties: { product_id: 'p2' } }),
      ev('m-d', new Date(T.getTime() - 1000), { event: 'Order Completed', properties: { order_id: 'o-0', revenue: 5, products: [{ product_id: 'p2', price: 5, quantity: 1 }] } }),
      ev('m-e', new Date(T.getTime() - 2000), { event: 'Product Viewed', properties: { product_id: 'p3' } }),
    ]);
    // Two events a microsecond apart, inside one millisecond.
    await t.store.run(
      `INSERT INTO events (message_id, type, event, customer_id, user_id, timestamp, received_at, source)
       SELECT 'm-us' || i, 'track', 'Product Viewed', customer_id, 'pager', TIMESTAMP '2025-05-05 09:59:57.000001' + i * INTERVAL 1 MICROSECOND, now(), 'test'
       FROM (SELECT customer_id FROM identities WHERE kind = 'user_id' AND value = 'pager'), range(2) r(i)`,
    );
  });
  afterAll(() => t.cleanup());

  const key = (i: { kind: string; order_id?: string; message_id?: string }) => `${i.kind}:${i.order_id ?? i.message_id}`;

  it('pages of any size give every item once, in the order of one page', async () => {
    const whole = await customerTimeline(t.store, 'pager', { limit: 500 });
    expect(whole.next_before).toBeNull();
    expect(whole.items.map(key)).toEqual([
      'order:o-1', 'event:m-c', 'event:m-b', 'event:m-a', 'order:o-0', 'event:m-d', 'event:m-e', 'event:m-us1', 'event:m-us0',
    ]);
    for (const size of [1, 2, 3, 4]) {
      const seen: string[] = [];
      let before: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await customerTimeline(t.store, 'pager', { limit: size, ...(before ? { before } : {}) });
        seen.push(...page.items.map(key));
        if (page.next_before === null) break;
        before = page.next_before;
      }
      expect(seen, `pages of ${size}`).toEqual(whole.items.map(key));
    }
  });

  it('a date or time as `before` still gives the items strictly older', async () => {
    const older = await customerTimeline(t.store, 'pager', { before: T.toISOString() });
    expect(older.items.map(key)).toEqual(['order:o-0', 'event:m-d', 'event:m-e', 'event:m-us1', 'event:m-us0']);
    await expect(customerTimeline(t.store, 'pager', { before: 'yesterday-ish' })).rejects.toThrow(/before/);
  });
});
