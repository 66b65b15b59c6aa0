import { alignColumns } from '../analytics/format/table.js';
import { padEndDisplay } from '../domain/display-width.js';
import { utcTimeText } from '../domain/time-zone.js';
import { grouped } from '../domain/words.js';
import type { CustomerStats } from '../store/queries/metrics.js';
import type { CustomerListRow } from '../store/queries/profiles.js';
import { orderKindOf, parseOrder } from '../ingest/events/orders.js';
import { parseObject, type CustomerProfile } from './profile.js';

const money = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : x.toFixed(2));
const day = (d: Date | null | undefined): string => (d ? utcTimeText(d) : '-');
const num = grouped;
/** Days to one decimal; a value that rounds to zero is 0.0, never -0.0 (an as-of just before the last order). */
const days = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : (Math.round(x * 10) === 0 ? 0 : x).toFixed(1));

/** The text form of `segmint customers show`. */
export function renderProfile(p: CustomerProfile): string {
  const out = [`Customer ${p.customer_id} (since ${day(p.created_at)})`];
  out.push('Identities:');
  for (const i of p.identities) out.push(`  ${i.kind.padEnd(18)} ${i.value}`);
  const traits = Object.entries(p.traits);
  out.push(traits.length === 0 ? 'Traits: none' : 'Traits:');
  for (const [k, v] of traits) out.push(`  ${padEndDisplay(k, 18)} ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const m = p.metrics;
  if (m) {
    out.push(`Metrics (as of ${day(p.as_of)}):`);
    out.push(`  orders_count          ${m.orders_count}`);
    out.push(`  total_spent           ${money(m.total_spent)} (gross ${money(m.gross_revenue)}, refunded ${money(m.refunded)})`);
    out.push(`  avg_order_value       ${money(m.avg_order_value)}`);
    out.push(`  first / last order    ${day(m.first_order_at)} / ${day(m.last_order_at)}`);
    out.push(`  days_since_last_order ${days(m.days_since_last_order)}`);
    out.push(`  avg_days_between      ${m.avg_days_between_orders === null ? '-' : m.avg_days_between_orders.toFixed(1)}`);
    out.push(`  distinct_products     ${m.distinct_products}   top_category ${m.top_category ?? '-'}`);
  } else out.push('Metrics: no orders');
  for (const w of p.warnings) out.push(`warning: ${w.message}`);
  out.push(p.consent.length === 0 ? 'Consent: none recorded' : 'Consent:');
  for (const c of p.consent) out.push(`  ${c.channel.padEnd(8)} ${c.status.padEnd(8)} ${day(c.updated_at)} (${c.source})`);
  out.push(`Recent events (${p.recent_events.length}):`);
  for (const e of p.recent_events) {
    out.push(`  ${day(e.timestamp)}  ${e.type} ${e.event ?? ''}${orderNote(e.event, e.properties, e.order_revenue)}`);
  }
  return out.join('\n');
}

/**
 * " order ID revenue X" for an order or refund event: the revenue stored for the order when the event
 * stored one (an imported Shopify order's lines are before its discount, so re-reading its properties
 * would show the wrong amount), else the amount the live ingestion rule reads (products, else revenue,
 * else total: parseOrder).
 */
function orderNote(event: string | null | undefined, properties: unknown, stored: number | null): string {
  const kind = orderKindOf(event ?? undefined);
  const props = properties !== null && typeof properties === 'object' && !Array.isArray(properties) ? (properties as Record<string, unknown>) : undefined;
  if (props?.order_id === undefined) return '';
  if (typeof stored === 'number') return ` order ${String(props.order_id)} revenue ${stored}`;
  const parsed = kind ? parseOrder(kind, props, '') : undefined;
  if (parsed && 'order' in parsed) return ` order ${String(props.order_id)} revenue ${parsed.order.revenue}`;
  return ` order ${String(props.order_id)}`;
}

export function renderStats(s: CustomerStats): string {
  return [
    `customers              ${num(s.customers)}`,
    `customers with orders  ${num(s.customers_with_orders)}`,
    `orders                 ${num(s.orders)}`,
    `net revenue            ${s.net_revenue.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
  ].join('\n');
}

export function renderList(rows: readonly CustomerListRow[]): string {
  if (rows.length === 0) return 'No customers here: import orders (segmint import FILE) or send events (segmint serve), or lower --offset.';
  const header = ['customer_id', 'user_id', 'email', 'orders', 'total_spent', 'last_order'];
  const body = rows.map((r) => [r.customer_id, r.user_id ?? '-', r.email ?? '-', String(r.orders_count), money(r.total_spent), day(r.last_order_at)]);
  // One printer for every table (renderTable): columns as wide as their widest cell, in terminal columns.
  return alignColumns([header, ...body], [false, false, false, true, true, false]).join('\n');
}

export function listJson(rows: readonly CustomerListRow[]): unknown[] {
  return rows.map((r) => ({ ...r, traits: parseObject(r.traits) }));
}
