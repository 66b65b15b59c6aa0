import { SegmintError } from '../domain/errors.js';
import type { Queryable } from '../store/db.js';
import { timelineEvents, timelineOrders } from '../store/queries/profiles/timeline.js';
import { resolveCustomer } from './resolve-customer.js';
import { wholeNumberIn } from '../domain/whole-number.js';

export interface TimelineOrder {
  kind: 'order' | 'refund';
  at: Date;
  order_id: string;
  revenue: number;
  currency: string | null;
  source: string;
  lines: { product_id: string | null; name: string | null; category: string | null; quantity: number | null; amount: number }[];
}

export interface TimelineEvent {
  kind: 'event';
  at: Date;
  message_id: string;
  type: string;
  event: string | null;
  source: string;
  properties: unknown;
}

export interface CustomerTimeline {
  customer_id: string;
  items: (TimelineOrder | TimelineEvent)[];
  /** pass as `before` for the next page; null when there is nothing older */
  next_before: Date | null;
}

/** The most items one page of a timeline holds. */
export const TIMELINE_PAGE_MAX = 500;

/**
 * One customer's orders, refunds and events, newest first, `limit` items (1 to TIMELINE_PAGE_MAX, 500; more is refused, not cut) older than
 * `before` (default: everything). An order and the `Order Completed` event that carried it both appear:
 * the order with its lines and revenue, the event with what the shop sent.
 */
export async function customerTimeline(db: Queryable, ref: string, opts: { before?: Date; limit?: number } = {}): Promise<CustomerTimeline> {
  const id = await resolveCustomer(db, ref);
  const limit = wholeNumberIn(opts.limit ?? 50, 'limit', 1, TIMELINE_PAGE_MAX);
  const before = opts.before ?? new Date('9999-12-31T00:00:00Z');
  if (Number.isNaN(before.getTime())) throw new SegmintError('invalid_before', '`before` is not a date or time.', { field: 'before' });
  const orders: TimelineOrder[] = (await timelineOrders(db, id, before, limit)).map((o) => ({
    kind: o.kind === 'refund' ? 'refund' : 'order',
    at: o.placed_at,
    order_id: o.order_id,
    revenue: o.revenue,
    currency: o.currency,
    source: o.source,
    lines: JSON.parse(o.lines) as TimelineOrder['lines'],
  }));
  const events: TimelineEvent[] = (await timelineEvents(db, id, before, limit)).map((e) => ({
    kind: 'event',
    at: e.timestamp,
    message_id: e.message_id,
    type: e.type,
    event: e.event,
    source: e.source,
    properties: e.properties === null ? null : JSON.parse(e.properties),
  }));
  const all = [...orders, ...events].sort((a, b) => b.at.getTime() - a.at.getTime());
  const items = all.slice(0, limit);
  const more = all.length > limit || orders.length === limit || events.length === limit;
  return { customer_id: id, items, next_before: more && items.length > 0 ? items[items.length - 1]!.at : null };
}
