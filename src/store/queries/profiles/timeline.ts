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
}

export type TimelineEventRow = EventRow;

/** A customer's orders and refunds placed before `before`, newest first, with their lines. */
export function timelineOrders(db: Queryable, id: string, before: Date, limit: number): Promise<TimelineOrderRow[]> {
  return db.all<TimelineOrderRow>(
    `SELECT o.order_id, o.kind, o.placed_at, o.revenue::DOUBLE AS revenue, o.currency, o.source,
       coalesce((SELECT to_json(list({'product_id': l.product_id, 'name': l.name, 'category': l.category,
                   'quantity': l.quantity, 'amount': l.amount::DOUBLE} ORDER BY l.line_no))
                 FROM order_lines l WHERE l.order_id = o.order_id), '[]')::VARCHAR AS lines
     FROM orders o WHERE o.customer_id = $1 AND o.placed_at < $2::TIMESTAMP
     ORDER BY o.placed_at DESC, o.order_id DESC LIMIT $3`,
    [id, before, limit],
  );
}

/** A customer's events before `before`, newest first (ties by message id, so pages are stable). */
export function timelineEvents(db: Queryable, id: string, before: Date, limit: number): Promise<TimelineEventRow[]> {
  return db.all<TimelineEventRow>(
    `SELECT message_id, type, event, timestamp, source, properties::VARCHAR AS properties FROM events
     WHERE customer_id = $1 AND timestamp < $2::TIMESTAMP ORDER BY timestamp DESC, message_id DESC LIMIT $3`,
    [id, before, limit],
  );
}
