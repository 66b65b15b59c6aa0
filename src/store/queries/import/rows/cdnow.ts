import type { ReaderFor } from '../../../../ingest/import/formats/types.js';
import type { TypedField } from '../../../../ingest/import/layouts/types.js';
import type { RowsQuery } from './schema.js';
import { Binds, firstError } from './sql.js';

/** Position (1-based) of a value in a CDNOW line: the sample has a sample id in second place. */
function field(variant: 'sample' | 'master', i: number): string {
  return `string_split_regex(trim(c0), '\\s+')[${variant === 'sample' ? i + 1 : i}]`;
}

/** The date, the number of CDs and the dollars, read as a date and numbers. */
export function cdnowTyped(variant: 'sample' | 'master'): TypedField[] {
  return [
    { key: 'date', column: 'date', type: 'time', expr: field(variant, 2) },
    { key: 'cds', column: 'number_of_cds', type: 'number', expr: field(variant, 3) },
    { key: 'dollars', column: variant === 'sample' ? 'dollars' : 'dollar_value', type: 'number', expr: field(variant, 4) },
  ];
}

/**
 * CDNOW purchase lines, whitespace separated: the 1/10 sample (`master_id sample_id date cds dollars`)
 * or the master file (`customer_id date cds dollars`). A customer's lines of one day are one transaction
 * (Fader, Hardie & Lee 2005: the sample's 6,919 lines are 6,696 customer-days), so they are the lines of
 * one order, `<customer>-<date>-1`: the id the first line of the day had when each line was an order, so
 * a file imported by an earlier version is not counted twice. The customer is the master id without
 * leading zeros (user_id).
 */
export function cdnowRows(variant: 'sample' | 'master', currency: string | null, read: ReaderFor): RowsQuery {
  const b = new Binds();
  const v = read(b);
  const cur = b.add(currency);
  const fields = variant === 'sample' ? 5 : 4;
  const err = firstError([
    [`len(f) <> ${fields}`, `'expected ${fields} fields, found ' || len(f)`],
    ...v.problems('date', 'day', 'not a date', 'day_raw'),
    ...v.problems('cds', 'cds', 'not a number', 'cds_raw'),
    ...v.problems('dollars', 'dollars', 'not an amount', 'dollars_raw'),
  ]);
  const sql = `
    WITH split AS (
      SELECT line, string_split_regex(trim(c0), '\\s+') AS f, ${field(variant, 2)} AS day_raw, ${field(variant, 3)} AS cds_raw,
        ${field(variant, 4)} AS dollars_raw FROM imp_raw
    ),
    typed AS (
      SELECT line, f, day_raw, cds_raw, dollars_raw,
        coalesce(TRY_CAST(TRY_CAST(f[1] AS BIGINT) AS VARCHAR), f[1]) AS customer,
        ${variant === 'sample' ? 'TRY_CAST(f[2] AS BIGINT)' : 'NULL::BIGINT'} AS sample_id,
        ${v.time('date', 'day_raw')} AS day,
        ${v.number('cds', 'cds_raw')} AS cds,
        ${v.number('dollars', 'dollars_raw')} AS dollars
      FROM split
    ),
    checked AS (SELECT *, ${err} AS error FROM typed)
    SELECT line, error,
      customer || '-' || strftime(day, '%Y%m%d') || '-1' AS order_id,
      'order' AS kind, day AS placed_at, 'CD' AS product_name,
      CASE WHEN cds > 0 THEN (dollars / cds)::DECIMAL(18,4) END AS price, cds::DOUBLE AS quantity, dollars AS amount,
      ${cur}::VARCHAR AS currency, customer AS user_id,
      CASE WHEN sample_id IS NOT NULL THEN json_object('cdnow_sample_id', sample_id) END AS traits
    FROM checked`;
  return { sql, params: b.values };
}
