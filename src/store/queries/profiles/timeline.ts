import type { Queryable } from '../../db.js';
import type { EventRow } from '../profiles.js';

export interface TimelineOrderRow {
  order_id: string;
  kind: string;
  placed_at: Date;
  revenue: number;
  currency: string | null;
  source: string;
  /** JSON text: [{product_id, name, category, quantity, amount}] in line order */
  lines: string;
  /** placed_at in microseconds since the epoch, as text: exact where a Date keeps milliseconds */
  at_us: string;
}

export type TimelineEventRow = EventRow & { at_us: string };

/**
 * Where a timeline page ends, newest first: items strictly older than `us` (microseconds since the epoch);
 * given `rank` and `id`, also the items at exactly `us` that come after that item in the page order
 * (orders, rank 0, before events, rank 1; each kind by id descending).
 */
export interface TimelinePosition {
  readonly us: bigint;
  readonly rank?: 0 | 1;
  readonly id?: string;
}

/** A customer's orders and refunds after position `p` in page order (placed_at, then order_id, descending), with their lines. */
export function timelineOrders(db: Queryable, id: string, p: TimelinePosition, limit: number): Promise<TimelineOrderRow[]> {
  return db.all<TimelineOrderRow>(
    `SELECT o.order_id, o.kind, o.placed_at, o.revenue::DOUBLE AS revenue, o.currency, o.source,
       coalesce((SELECT to_json(list({'product_id': l.product_id, 'name': l.name, 'category': l.category,
                   'quantity': l.quantity, 'amount': l.amount::DOUBLE} ORDER BY l.line_no))
                 FROM order_lines l WHERE l.order_id = o.order_id), '[]')::VARCHAR AS lines,
       epoch_us(o.placed_at)::VARCHAR AS at_us
     FROM orders o WHERE o.customer_id = $1
       AND (o.placed_at < make_timestamp($2::BIGINT) OR (o.placed_at = make_timestamp($2::BIGINT) AND $4::INTEGER = 0 AND o.order_id < $5))
     ORDER BY o.placed_at DESC, o.order_id DESC LIMIT $3`,
    [id, p.us, limit, p.rank ?? null, p.id ?? null],
  );
}

/** A customer's events after position `p` in page order (timestamp, then message id, descending). */
export function timelineEvents(db: Queryable, id: string, p: TimelinePosition, limit: number): Promise<TimelineEventRow[]> {
  return db.all<TimelineEventRow>(
    `SELECT message_id, type, event, timestamp, source, properties::VARCHAR AS properties, epoch_us(timestamp)::VARCHAR AS at_us FROM events
     WHERE customer_id = $1
       AND (timestamp < make_timestamp($2::BIGINT)
         OR (timestamp = make_timestamp($2::BIGINT) AND ($4::INTEGER = 0 OR ($4::INTEGER = 1 AND message_id < $5))))
     ORDER BY timestamp DESC, message_id DESC LIMIT $3`,
    [id, p.us, limit, p.rank ?? null, p.id ?? null],
  );
}
