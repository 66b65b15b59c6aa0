import type { ReaderFor } from '../../../../ingest/import/formats/types.js';
import type { TypedField } from '../../../../ingest/import/layouts/types.js';
import type { RowsQuery } from './schema.js';
import { Binds, emptyValue, firstError, id, lineAmountProblem, storedLineAmount, text, type Columns } from './sql.js';

export type OnlineRetailRole = 'invoice' | 'stockCode' | 'description' | 'quantity' | 'invoiceDate' | 'unitPrice' | 'customerId' | 'country';

/** The columns read as numbers and dates: Quantity, UnitPrice, InvoiceDate. */
export function onlineRetailTyped(cols: Columns<OnlineRetailRole>, names: Readonly<Record<OnlineRetailRole, string>>): TypedField[] {
  return [
    { key: 'quantity', column: names.quantity, type: 'number', expr: text(cols.quantity) },
    { key: 'unitPrice', column: names.unitPrice, type: 'number', expr: text(cols.unitPrice) },
    { key: 'invoiceDate', column: names.invoiceDate, type: 'time', expr: text(cols.invoiceDate) },
  ];
}

/**
 * The UCI Online Retail layout: one row per order line; the invoice is the order, an invoice starting
 * with C a cancellation. CustomerID is written as a float (17850.0) and means user_id 17850; rows
 * without one stay as guest lines. Country becomes the customer's `country` trait.
 */
export function onlineRetailRows(cols: Columns<OnlineRetailRole>, names: Readonly<Record<OnlineRetailRole, string>>, currency: string | null, read: ReaderFor): RowsQuery {
  const b = new Binds();
  const v = read(b);
  const cur = b.add(currency);
  const err = firstError([
    ['inv IS NULL', emptyValue(b, names.invoice)],
    ...v.problems('quantity', 'q', 'not a number', 'q_raw'),
    ...v.problems('unitPrice', 'p', 'not a price', 'p_raw'),
    ...v.problems('invoiceDate', 'ts', 'not a date', 'ts_raw'),
    lineAmountProblem(b, `line amount "${names.quantity}" × "${names.unitPrice}"`, 'q', 'p'),
  ]);
  const sql = `
    SELECT line, ${err} AS error,
      inv AS order_id,
      CASE WHEN starts_with(inv, 'C') OR starts_with(inv, 'c') THEN 'refund' ELSE 'order' END AS kind,
      ts AS placed_at, stock AS product_id, descr AS product_name,
      p AS price, q::DOUBLE AS quantity, ${storedLineAmount('q', 'p')} AS amount, ${cur}::VARCHAR AS currency,
      regexp_replace(cust, '\\.0+$', '') AS user_id,
      CASE WHEN cust IS NOT NULL THEN json_object('country', country) END AS traits
    FROM (
      SELECT line,
        ${id(cols.invoice)} AS inv, ${id(cols.stockCode)} AS stock, ${text(cols.description)} AS descr,
        ${text(cols.quantity)} AS q_raw, ${v.number('quantity')} AS q,
        ${text(cols.unitPrice)} AS p_raw, ${v.number('unitPrice')} AS p,
        ${text(cols.invoiceDate)} AS ts_raw, ${v.time('invoiceDate')} AS ts,
        ${id(cols.customerId)} AS cust, ${text(cols.country)} AS country
      FROM imp_raw
    )`;
  return { sql, params: b.values };
}
