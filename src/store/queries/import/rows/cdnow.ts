import type { RowsQuery } from './schema.js';
import { Binds } from './sql.js';

/**
 * CDNOW purchase lines, whitespace separated: the 1/10 sample (`master_id sample_id date cds dollars`)
 * or the master file (`customer_id date cds dollars`). Each line is one transaction; the customer is
 * the master id without leading zeros (user_id). Order ids are `<customer>-<date>-<n>`, n counting the
 * customer's lines of that day in file order, so the same file always gives the same ids.
 */
export function cdnowRows(variant: 'sample' | 'master', currency: string | null): RowsQuery {
  const b = new Binds();
  const cur = b.add(currency);
  const fields = variant === 'sample' ? 5 : 4;
  const at = (i: number): string => `f[${variant === 'sample' ? i + 1 : i}]`;
  const sql = `
    WITH split AS (
      SELECT line, string_split_regex(trim(c0), '\\s+') AS f FROM imp_raw
    ),
    typed AS (
      SELECT line, f,
        coalesce(TRY_CAST(TRY_CAST(f[1] AS BIGINT) AS VARCHAR), f[1]) AS customer,
        ${variant === 'sample' ? "TRY_CAST(f[2] AS BIGINT)" : 'NULL::BIGINT'} AS sample_id,
        try_strptime(${at(2)}, '%Y%m%d')::TIMESTAMP AS day,
        TRY_CAST(${at(3)} AS DOUBLE) AS cds,
        TRY_CAST(${at(4)} AS DECIMAL(18,4)) AS dollars
      FROM split
    ),
    checked AS (
      SELECT *, CASE
        WHEN len(f) <> ${fields} THEN 'expected ${fields} fields, found ' || len(f)
        WHEN day IS NULL THEN 'not a date (YYYYMMDD): ' || ${at(2)}
        WHEN cds IS NULL THEN 'not a number of CDs: ' || ${at(3)}
        WHEN dollars IS NULL THEN 'not an amount: ' || ${at(4)}
      END AS error
      FROM typed
    )
    SELECT line, error,
      customer || '-' || strftime(day, '%Y%m%d') || '-' ||
        row_number() OVER (PARTITION BY error IS NULL, customer, day ORDER BY line) AS order_id,
      'order' AS kind, day AS placed_at, 'CD' AS product_name,
      CASE WHEN cds > 0 THEN (dollars / cds)::DECIMAL(18,4) END AS price, cds AS quantity, dollars AS amount,
      ${cur}::VARCHAR AS currency, customer AS user_id,
      CASE WHEN sample_id IS NOT NULL THEN json_object('cdnow_sample_id', sample_id) END AS traits
    FROM checked`;
  return { sql, params: b.values };
}
