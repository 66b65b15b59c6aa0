/**
 * The three values RFM and clustering read per customer (definitions: docs/metrics.md, "RFM"), in one
 * aggregation pass over orders.
 */

/**
 * The largest magnitude, in whole units, at which a sum of revenues fits DECIMAL(18,4) (the column's own
 * width): 14 digits before the point.
 */
const FITS_18_4 = '99999999999999';

/**
 * `net` (a sum of revenues, DECIMAL(38,4)) rounded to cents, as DECIMAL(38,2): the same value as
 * round(net, 2). Rounding at 38 digits is 128-bit division and costs as much as the whole aggregation
 * pass over a million customers; a sum that fits the column's 18 digits (every real shop's) is rounded at
 * that width, a larger one at 38 (CASE evaluates each branch only for its own rows, so nothing overflows).
 */
function centsSql(net: string): string {
  return `CASE WHEN ${net} BETWEEN -${FITS_18_4} AND ${FITS_18_4} THEN round(${net}::DECIMAL(18,4), 2)::DECIMAL(38,2)
    ELSE round(${net}, 2) END`;
}

/**
 * A SELECT yielding one row per customer with an order before `asOf` (an SQL expression, a placeholder):
 * customer_id VARCHAR; frequency BIGINT (orders, refunds not counted); monetary DECIMAL(38,2) (net revenue
 * of orders and refunds, rounded to cents); recency_days INTEGER (whole days from the latest order to
 * as_of, rounded down).
 */
export function customerValuesSql(asOf: string): string {
  return `SELECT customer_id, frequency, ${centsSql('net')} AS monetary,
      ((epoch_ms(${asOf}::TIMESTAMP) - epoch_ms(last_order_at)) // 86400000)::INTEGER AS recency_days
    FROM (
      SELECT customer_id,
        count(*) FILTER (WHERE kind = 'order') AS frequency,
        sum(revenue) AS net,
        max(placed_at) FILTER (WHERE kind = 'order') AS last_order_at
      FROM orders
      WHERE customer_id IS NOT NULL AND placed_at < ${asOf}::TIMESTAMP
      GROUP BY customer_id
      HAVING count(*) FILTER (WHERE kind = 'order') > 0
    )`;
}
