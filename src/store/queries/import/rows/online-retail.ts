import type { RowsQuery } from './schema.js';
import { Binds, badValue, emptyValue, firstError, id, money, text, timestamp, type Columns } from './sql.js';

export type OnlineRetailRole = 'invoice' | 'stockCode' | 'description' | 'quantity' | 'invoiceDate' | 'unitPrice' | 'customerId' | 'country';

/**
 * The UCI Online Retail layout: one row per order line; the invoice is the order, an invoice starting
 * with C a cancellation. CustomerID is written as a float (17850.0) and means user_id 17850; rows
 * without one stay as guest lines. Country becomes the customer's `country` trait.
 */
export function onlineRetailRows(cols: Columns<OnlineRetailRole>, names: Readonly<Record<OnlineRetailRole, string>>, currency: string | null): RowsQuery {
  const b = new Binds();
  const cur = b.add(currency);
  const err = firstError([
    ['inv IS NULL', emptyValue(b, names.invoice)],
    ['q IS NULL', badValue(b, 'not a number', names.quantity, 'q_raw')],
    ['p IS NULL', badValue(b, 'not a price', names.unitPrice, 'p_raw')],
    ['ts IS NULL', badValue(b, 'not a date', names.invoiceDate, 'ts_raw')],
  ]);
  const sql = `
    SELECT line, ${err} AS error,
      inv AS order_id, inv AS event_order_id,
      CASE WHEN starts_with(upper(inv), 'C') THEN 'refund' ELSE 'order' END AS kind,
      ts AS placed_at, stock AS product_id, descr AS product_name,
      p AS price, q::DOUBLE AS quantity, (q * p)::DECIMAL(18,4) AS amount, ${cur}::VARCHAR AS currency,
      regexp_replace(cust, '\\.0+$', '') AS user_id,
      CASE WHEN cust IS NOT NULL THEN json_object('country', country) END AS traits
    FROM (
      SELECT line,
        ${id(cols.invoice)} AS inv, ${id(cols.stockCode)} AS stock, ${text(cols.description)} AS descr,
        ${text(cols.quantity)} AS q_raw, TRY_CAST(${text(cols.quantity)} AS DECIMAL(18,4)) AS q,
        ${text(cols.unitPrice)} AS p_raw, ${money(text(cols.unitPrice))} AS p,
        ${text(cols.invoiceDate)} AS ts_raw, ${timestamp(text(cols.invoiceDate))} AS ts,
        ${id(cols.customerId)} AS cust, ${text(cols.country)} AS country
      FROM imp_raw
    )`;
  return { sql, params: b.values };
}
