import type { RowsQuery } from './schema.js';
import { Binds, badValue, consent, emptyValue, firstError, id, money, text, timestamp, type Columns } from './sql.js';

export type ShopifyOrderRole =
  | 'name' | 'email' | 'financialStatus' | 'paidAt' | 'createdAt' | 'cancelledAt' | 'currency'
  | 'subtotal' | 'shipping' | 'taxes' | 'total' | 'discountCode' | 'discountAmount' | 'refundedAmount'
  | 'acceptsMarketing' | 'lineQuantity' | 'lineName' | 'linePrice' | 'lineSku'
  | 'billingName' | 'billingCity' | 'billingCountry' | 'phone' | 'id';

/**
 * Shopify's orders export: one row per line item, the order's own columns filled on its first row only,
 * so they are spread over the order's rows (grouped by Name) before use.
 *
 * Revenue is what the lines sold for: Lineitem price × Lineitem quantity, less the order's Discount
 * Amount (a `discount` adjustment line); shipping and taxes are not revenue (they are kept as event
 * properties, with the Total). A refund is a second order row `<Name>/refund` of kind refund:
 * Financial Status `refunded` or `voided` refunds the whole revenue; otherwise a positive Refunded
 * Amount refunds that much, at most the revenue. It is dated Cancelled at, else like the order.
 */
export function shopifyOrderRows(cols: Columns<ShopifyOrderRole>, names: Readonly<Record<ShopifyOrderRole, string>>): RowsQuery {
  const b = new Binds();
  const spread = (role: ShopifyOrderRole): string => `max(${text(cols[role])}) OVER (PARTITION BY ${id(cols.name)})`;
  const err = firstError([
    ['name IS NULL', emptyValue(b, names.name)],
    ['qty IS NULL', badValue(b, 'not a number', names.lineQuantity, 'qty_raw')],
    ['price IS NULL', badValue(b, 'not a price', names.linePrice, 'price_raw')],
    ['placed IS NULL', badValue(b, 'not a date', cols.createdAt !== undefined ? names.createdAt : names.paidAt, 'placed_raw')],
  ]);
  const sql = `
    WITH src AS (
      SELECT line, ${id(cols.name)} AS name,
        lower(${spread('email')}) AS email, lower(${spread('financialStatus')}) AS status,
        ${text(cols.lineQuantity)} AS qty_raw, TRY_CAST(${text(cols.lineQuantity)} AS DECIMAL(18,4)) AS qty,
        ${text(cols.linePrice)} AS price_raw, ${money(text(cols.linePrice))} AS price,
        ${text(cols.lineName)} AS product_name, ${id(cols.lineSku)} AS sku,
        coalesce(${spread('createdAt')}, ${spread('paidAt')}) AS placed_raw,
        ${timestamp(`coalesce(${spread('createdAt')}, ${spread('paidAt')})`)} AS placed,
        ${timestamp(spread('cancelledAt'))} AS cancelled,
        upper(${spread('currency')}) AS currency,
        ${money(spread('subtotal'))} AS subtotal, ${money(spread('shipping'))} AS shipping,
        ${money(spread('taxes'))} AS taxes, ${money(spread('total'))} AS total,
        ${money(spread('discountAmount'))} AS discount, ${spread('discountCode')} AS discount_code,
        ${money(spread('refundedAmount'))} AS refunded,
        ${consent(spread('acceptsMarketing'))} AS consent_email,
        ${spread('billingName')} AS billing_name, ${spread('billingCity')} AS city,
        ${spread('billingCountry')} AS country, ${spread('phone')} AS phone, ${spread('id')} AS shopify_id
      FROM imp_raw
    ),
    lines AS (SELECT *, ${err} AS error FROM src),
    orders AS (
      SELECT name, min(line) AS line, any_value(status) AS status, any_value(placed) AS placed,
        any_value(cancelled) AS cancelled, any_value(currency) AS currency, any_value(email) AS email,
        any_value(discount) AS discount, any_value(refunded) AS refunded,
        sum(qty * price) - coalesce(any_value(discount), 0) AS net
      FROM lines WHERE error IS NULL GROUP BY name
    )
    SELECT line, false AS synthetic, error, name AS order_id, name AS event_order_id, 'order' AS kind,
      placed AS placed_at, 'product' AS line_type, sku AS product_id, product_name, NULL::VARCHAR AS category,
      price, qty::DOUBLE AS quantity, (qty * price)::DECIMAL(18,4) AS amount, currency, email,
      json_merge_patch('{}', json_object('name', billing_name, 'city', city, 'country', country, 'phone', phone)) AS traits,
      consent_email,
      json_merge_patch('{}', json_object('total', total::DOUBLE, 'subtotal', subtotal::DOUBLE, 'shipping', shipping::DOUBLE,
        'tax', taxes::DOUBLE, 'discount', discount::DOUBLE, 'coupon', discount_code, 'financial_status', status,
        'shopify_order_id', shopify_id)) AS order_props
    FROM lines
    UNION ALL
    SELECT line, true, NULL, name, name, 'order', placed, 'discount', NULL, 'Discount', NULL,
      -discount, 1, -discount, currency, email, NULL, NULL, NULL
    FROM orders WHERE discount > 0
    UNION ALL
    SELECT line, true, NULL, name || '/refund', name, 'refund', coalesce(cancelled, placed), 'refund', NULL, 'Refund', NULL,
      -r, 1, -r, currency, email, NULL, NULL, NULL
    FROM (
      SELECT *, CASE WHEN status IN ('refunded', 'voided') THEN net WHEN refunded > 0 THEN least(refunded, net) END::DECIMAL(18,4) AS r
      FROM orders
    ) WHERE r > 0`;
  return { sql, params: b.values };
}
