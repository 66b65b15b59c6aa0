import type { Queryable } from '../../db.js';
import { emailIdentitiesSql } from '../customer-emails.js';
import { channelsParam, consentInForceSql } from '../consent-in-force.js';

/** The stored metric columns an export may name, beside traits. */
export const EXPORTABLE_METRICS = [
  'orders_count',
  'gross_revenue',
  'refunded',
  'total_spent',
  'avg_order_value',
  'first_order_at',
  'last_order_at',
  'avg_days_between_orders',
  'distinct_products',
  'top_category',
] as const;

export interface ExportRow {
  customer_id: string;
  since: Date;
  traits: string | null;
  /** email identities, first seen first (emailIdentitiesSql) */
  emails: string[] | null;
  orders_count: number | null;
  gross_revenue: number | null;
  refunded: number | null;
  total_spent: number | null;
  avg_order_value: number | null;
  first_order_at: Date | null;
  last_order_at: Date | null;
  avg_days_between_orders: number | null;
  distinct_products: number | null;
  top_category: string | null;
  /** the consent in force over the channels asked for (consentInForceSql: denied, granted, or NULL) */
  channel_consent: string | null;
}

/**
 * One page of members with everything an export may ask for, and their consent over `channels`, in
 * customer_id order after `after` (keyset paging keeps memory flat on large segments).
 */
export async function exportPage(db: Queryable, segmentId: string, after: string, limit: number, channels: readonly string[]): Promise<ExportRow[]> {
  return db.all<ExportRow>(
    `SELECT s.customer_id, s.since, c.traits::VARCHAR AS traits,
       ${emailIdentitiesSql('s.customer_id')} AS emails,
       m.orders_count, m.gross_revenue::DOUBLE AS gross_revenue, m.refunded::DOUBLE AS refunded,
       m.total_spent::DOUBLE AS total_spent, m.avg_order_value::DOUBLE AS avg_order_value,
       m.first_order_at, m.last_order_at, m.avg_days_between_orders, m.distinct_products, m.top_category,
       ${consentInForceSql('s.customer_id', '$4')} AS channel_consent
     FROM (SELECT customer_id, since FROM segment_members WHERE segment_id = $1 AND customer_id > $2
           ORDER BY customer_id LIMIT $3) s
     LEFT JOIN customers c ON c.customer_id = s.customer_id
     LEFT JOIN customer_metrics m ON m.customer_id = s.customer_id
     ORDER BY s.customer_id`,
    [segmentId, after, limit, channelsParam(channels)],
  );
}
