import type { ReaderFor } from '../../../../ingest/import/formats/types.js';
import type { TypedField } from '../../../../ingest/import/layouts/types.js';
import type { RowsQuery } from './schema.js';
import { Binds, consent, emptyValue, firstError, id, lineAmount, lineAmountProblem, storedLineAmount, text, type Columns } from './sql.js';

export type ShopifyOrderRole =
  | 'name' | 'email' | 'financialStatus' | 'paidAt' | 'createdAt' | 'cancelledAt' | 'currency'
  | 'subtotal' | 'shipping' | 'taxes' | 'total' | 'discountCode' | 'discountAmount' | 'refundedAmount'
  | 'acceptsMarketing' | 'lineQuantity' | 'lineName' | 'linePrice' | 'lineSku'
  | 'billingName' | 'billingCity' | 'billingCountry' | 'phone' | 'id';

/** Order columns read as money, by role; each is spread from the order's first row. */
const ORDER_MONEY = ['subtotal', 'shipping', 'taxes', 'total', 'discountAmount', 'refundedAmount'] as const;

/** The columns read as numbers and dates. The order's time is Created at, else Paid at, read as one column. */
export function shopifyOrderTyped(cols: Columns<ShopifyOrderRole>, names: Readonly<Record<ShopifyOrderRole, string>>): TypedField[] {
  const placedColumn = cols.createdAt !== undefined ? names.createdAt : names.paidAt;
  const fields: TypedField[] = [
    { key: 'lineQuantity', column: names.lineQuantity, type: 'number', expr: text(cols.lineQuantity) },
    { key: 'linePrice', column: names.linePrice, type: 'number', expr: text(cols.linePrice) },
    { key: 'placed', column: placedColumn, type: 'time', expr: `coalesce(${text(cols.createdAt)}, ${text(cols.paidAt)})` },
  ];
  if (cols.cancelledAt !== undefined) fields.push({ key: 'cancelledAt', column: names.cancelledAt, type: 'time', expr: text(cols.cancelledAt) });
  for (const role of ORDER_MONEY) {
    if (cols[role] !== undefined) fields.push({ key: role, column: names[role], type: 'number', expr: text(cols[role]) });
  }
  return fields;
}

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
export function shopifyOrderRows(cols: Columns<ShopifyOrderRole>, names: Readonly<Record<ShopifyOrderRole, string>>, read: ReaderFor): RowsQuery {
  const b = new Binds();
  const v = read(b);
  const spread = (expr: string): string => `max(${expr}) OVER (PARTITION BY ${id(cols.name)})`;
  const role = (r: ShopifyOrderRole): string => spread(text(cols[r]));
  const present = ORDER_MONEY.filter((r) => cols[r] !== undefined);
  const money = (r: (typeof ORDER_MONEY)[number]): string => (cols[r] !== undefined ? v.number(r, `${r}_raw`) : 'NULL::DECIMAL(18,4)');
  const err = firstError([
    ['name IS NULL', emptyValue(b, names.name)],
    ...v.problems('lineQuantity', 'qty', 'not a number', 'qty_raw'),
    ...v.problems('linePrice', 'price', 'not a price', 'price_raw'),
    ...v.problems('placed', 'placed', 'not a date', 'placed_raw'),
    ...(cols.cancelledAt !== undefined ? v.problems('cancelledAt', 'cancelled', 'not a date', 'cancelledAt_raw').map(([c, r]) => [`cancelledAt_raw IS NOT NULL AND ${c}`, r] as [string, string]) : []),
    ...present.flatMap((r) => v.problems(r, r, 'not an amount', `${r}_raw`).map(([c, m]) => [`${r}_raw IS NOT NULL AND ${c}`, m] as [string, string])),
    lineAmountProblem(b, `line amount "${names.lineQuantity}" × "${names.linePrice}"`, 'qty', 'price'),
  ]);
  const sql = `
    WITH src AS (
      SELECT line, ${id(cols.name)} AS name,
        lower(${role('email')}) AS email, lower(${role('financialStatus')}) AS status,
        ${text(cols.lineQuantity)} AS qty_raw, ${text(cols.linePrice)} AS price_raw,
        ${text(cols.lineName)} AS product_name, ${id(cols.lineSku)} AS sku,
        ${spread(`coalesce(${text(cols.createdAt)}, ${text(cols.paidAt)})`)} AS placed_raw,
        ${role('cancelledAt')} AS cancelledAt_raw,
        ${present.map((r) => `${role(r)} AS ${r}_raw`).join(', ')}${present.length > 0 ? ',' : ''}
        upper(${role('currency')}) AS currency,
        ${role('discountCode')} AS discount_code,
        ${consent(role('acceptsMarketing'))} AS consent_email,
        ${role('billingName')} AS billing_name, ${role('billingCity')} AS city,
        ${role('billingCountry')} AS country, ${role('phone')} AS phone, ${role('id')} AS shopify_id
      FROM imp_raw
    ),
    typed AS (
      SELECT *, ${v.number('lineQuantity', 'qty_raw')} AS qty, ${v.number('linePrice', 'price_raw')} AS price,
        ${v.time('placed', 'placed_raw')} AS placed,
        ${cols.cancelledAt !== undefined ? v.time('cancelledAt', 'cancelledAt_raw') : 'NULL::TIMESTAMP'} AS cancelled,
        ${ORDER_MONEY.map((r) => `${money(r)} AS ${r}`).join(', ')}
      FROM src
    ),
    lines AS (SELECT *, ${err} AS error FROM typed),
    orders AS (
      SELECT name, min(line) AS line, any_value(status) AS status, any_value(placed) AS placed,
        any_value(cancelled) AS cancelled, any_value(currency) AS currency, any_value(email) AS email,
        any_value(discountAmount) AS discount, any_value(refundedAmount) AS refunded,
        sum(${lineAmount('qty', 'price')}) - coalesce(any_value(discountAmount), 0) AS net
      FROM lines WHERE error IS NULL GROUP BY name
    )
    SELECT line, false AS synthetic, error, name AS order_id, name AS event_order_id, 'order' AS kind,
      placed AS placed_at, 'product' AS line_kind, sku AS product_id, product_name, NULL::VARCHAR AS category,
      price, qty::DOUBLE AS quantity, ${storedLineAmount('qty', 'price')} AS amount, currency, email,
      json_merge_patch('{}', json_object('name', billing_name, 'city', city, 'country', country, 'phone', phone)) AS traits,
      consent_email,
      json_merge_patch('{}', json_object('total', total::DOUBLE, 'subtotal', subtotal::DOUBLE, 'shipping', shipping::DOUBLE,
        'tax', taxes::DOUBLE, 'discount', discountAmount::DOUBLE, 'coupon', discount_code, 'financial_status', status,
        'shopify_order_id', shopify_id)) AS order_props
    FROM lines
    UNION ALL
    SELECT line, true, NULL, name, name, 'order', placed, 'discount', NULL, 'Discount', NULL,
      -discount, 1, -discount, currency, email, NULL, NULL, NULL
    FROM orders WHERE discount > 0
    UNION ALL
    SELECT line, true, NULL, name || '/refund', name, 'refund', coalesce(cancelled, placed), 'adjustment', NULL, 'Refund', NULL,
      -r, 1, -r, currency, email, NULL, NULL, NULL
    FROM (
      SELECT *, CASE WHEN status IN ('refunded', 'voided') THEN net WHEN refunded > 0 THEN least(refunded, net) END::DECIMAL(18,4) AS r
      FROM orders
    ) WHERE r > 0`;
  return { sql, params: b.values };
}
