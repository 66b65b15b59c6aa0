import { resolveCustomer } from './resolve-customer.js';
import { rowDefaults } from '../segments/catalog/index.js';
import { reportTimeZone } from '../analytics/asOf.js';
import { warningFor, type StoredMomentWarning } from '../segments/manage/stored-moments.js';
import type { Queryable } from '../store/db.js';
import {
  customerConsent,
  customerIdentities,
  customerMetrics,
  customerRow,
  recentEvents,
  type ConsentRow,
  type IdentityRow,
  type MetricsRow,
} from '../store/queries/profiles.js';

export const RECENT_EVENTS = 20;

export interface ProfileEvent {
  message_id: string;
  type: string;
  event: string | null;
  timestamp: Date;
  source: string;
  properties: unknown;
  /** the revenue of the order (or refund, negative) this event stored, as stored; null for other events */
  order_revenue: number | null;
}

/** Everything segmint knows about one customer (metrics definitions: docs/metrics.md). */
export interface CustomerProfile {
  customer_id: string;
  created_at: Date;
  updated_at: Date;
  traits: Record<string, unknown>;
  identities: IdentityRow[];
  /**
   * The standard metrics (docs/metrics.md). A customer with no order (or refund) yet has no stored row
   * and gets what the segment language reads for them (noOrderMetrics): 0 orders, 0 spent, no dates.
   */
  metrics: MetricsRow;
  as_of: Date;
  /**
   * Said when the metrics describe another moment than as_of: they count every order, and this customer
   * ordered after as_of (the `stored_moment` warning of segments preview, recheck 7 N4).
   */
  warnings: StoredMomentWarning[];
  consent: ConsentRow[];
  recent_events: ProfileEvent[];
}

/** The metrics a later order changes (first_order_at does not), as the warning names them. */
const METRICS_OVER_ORDERS = ['orders_count', 'total_spent', 'avg_order_value', 'last_order_at', 'days_since_last_order', 'avg_days_between_orders', 'distinct_products'];

/**
 * The profile of the customer a reference points at (customer id, user_id, email, anonymous_id or an
 * external id). days_since_last_order is counted up to asOf; the other metrics count every order, so
 * `warnings` says when some were placed after asOf.
 */
export async function customerProfile(db: Queryable, ref: string, asOf: Date): Promise<CustomerProfile> {
  const id = await resolveCustomer(db, ref);
  const row = (await customerRow(db, id))!;
  const [identities, metrics, consent, events] = [
    await customerIdentities(db, id),
    await customerMetrics(db, id, asOf),
    await customerConsent(db, id),
    await recentEvents(db, id, RECENT_EVENTS),
  ];
  return {
    customer_id: id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    traits: parseObject(row.traits),
    identities,
    metrics: metrics ?? noOrderMetrics(),
    as_of: asOf,
    warnings: metrics?.last_order_at ? warningFor({ table: 'customer_metrics', moment: metrics.last_order_at }, METRICS_OVER_ORDERS, asOf, await reportTimeZone(db)) : [],
    consent,
    recent_events: events.map((e) => ({ ...e, properties: e.properties === null ? null : JSON.parse(e.properties) })),
  };
}

/** Every column of the metrics row, missing (null) until rowDefaults gives it a value. */
const NO_VALUES: Readonly<Record<keyof MetricsRow, unknown>> = {
  orders_count: null,
  gross_revenue: null,
  refunded: null,
  total_spent: null,
  avg_order_value: null,
  first_order_at: null,
  last_order_at: null,
  days_since_last_order: null,
  avg_days_between_orders: null,
  distinct_products: null,
  top_category: null,
};

/**
 * The metrics of a customer without orders, as the segment language reads them (rowDefaults, the function
 * workflow templates use): counts and sums 0 (orders_count, gross_revenue, refunded, total_spent,
 * distinct_products), every other metric null (no average, no dates, no category), so the profile says
 * "0 orders" rather than `"metrics": null` (fix 9, item 3).
 */
export function noOrderMetrics(): MetricsRow {
  return { ...NO_VALUES, ...rowDefaults('customer_metrics') } as MetricsRow;
}

export function parseObject(text: string): Record<string, unknown> {
  const v: unknown = JSON.parse(text);
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
