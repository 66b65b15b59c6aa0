import type { Queryable } from '../store/db.js';
import { timelineEvents, timelineOrders, type TimelinePosition } from '../store/queries/profiles/timeline.js';
import { resolveCustomer } from './resolve-customer.js';
import { wholeNumberIn } from '../domain/whole-number.js';
import { parseAsOf } from '../domain/as-of.js';

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
  /**
   * pass as `before` for the next page (a page token: `<microseconds since the epoch>|<o or e>|<id>`, the
   * last item shown); null when there is nothing older
   */
  next_before: string | null;
}

/** One item of a page with where it sits in the page order (timelinePosition). */
interface Placed {
  readonly item: TimelineOrder | TimelineEvent;
  readonly us: bigint;
  readonly rank: 0 | 1;
  readonly id: string;
}

const TOKEN = /^(-?\d{1,19})\|([oe])\|([\s\S]*)$/;

/**
 * Where the next page starts, from `before`: a page token (next_before of a page) continues exactly after
 * its item, so that items sharing one instant (an order and the event that carried it, a request's events)
 * are never skipped at a page boundary; a date or time (parseAsOf's forms) gives the items strictly older.
 */
function timelinePosition(before: string | undefined): TimelinePosition {
  if (before === undefined) return { us: BigInt(Date.parse('9999-12-31T00:00:00Z')) * 1000n };
  const token = TOKEN.exec(before);
  if (token) return { us: BigInt(token[1]!), rank: token[2] === 'o' ? 0 : 1, id: token[3]! };
  return { us: BigInt(parseAsOf(before, 'before').getTime()) * 1000n };
}

/** The most items one page of a timeline holds. */
export const TIMELINE_PAGE_MAX = 500;

/**
 * One customer's orders, refunds and events, newest first, `limit` items (1 to TIMELINE_PAGE_MAX, 500; more
 * is refused, not cut) after `before` (a page token or a date/time; default: everything). An order and the
 * `Order Completed` event that carried it both appear: the order with its lines and revenue, the event with
 * what the shop sent. Items of one instant are ordered orders first, then events, each kind by id
 * descending, so that pages neither repeat nor skip an item. Throws SegmintError `invalid_as_of` for a
 * `before` that is neither.
 */
export async function customerTimeline(db: Queryable, ref: string, opts: { before?: string; limit?: number } = {}): Promise<CustomerTimeline> {
  const id = await resolveCustomer(db, ref);
  const limit = wholeNumberIn(opts.limit ?? 50, 'limit', 1, TIMELINE_PAGE_MAX);
  const position = timelinePosition(opts.before);
  const orders: Placed[] = (await timelineOrders(db, id, position, limit)).map((o) => ({
    item: {
      kind: o.kind === 'refund' ? 'refund' : 'order',
      at: o.placed_at,
      order_id: o.order_id,
      revenue: o.revenue,
      currency: o.currency,
      source: o.source,
      lines: JSON.parse(o.lines) as TimelineOrder['lines'],
    },
    us: BigInt(o.at_us),
    rank: 0,
    id: o.order_id,
  }));
  const events: Placed[] = (await timelineEvents(db, id, position, limit)).map((e) => ({
    item: {
      kind: 'event',
      at: e.timestamp,
      message_id: e.message_id,
      type: e.type,
      event: e.event,
      source: e.source,
      properties: e.properties === null ? null : JSON.parse(e.properties),
    },
    us: BigInt(e.at_us),
    rank: 1,
    id: e.message_id,
  }));
  // A stable sort by (instant, kind) keeps each kind in the store's id order (no string comparison here,
  // which would differ from the store's byte order beyond the Basic Multilingual Plane).
  const all = [...orders, ...events].sort((a, b) => (a.us === b.us ? a.rank - b.rank : a.us > b.us ? -1 : 1));
  const page = all.slice(0, limit);
  const more = all.length > limit || orders.length === limit || events.length === limit;
  const last = page[page.length - 1];
  return {
    customer_id: id,
    items: page.map((p) => p.item),
    next_before: more && last ? `${last.us}|${last.rank === 0 ? 'o' : 'e'}|${last.id}` : null,
  };
}
