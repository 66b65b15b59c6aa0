import type { ColumnQueryable, Columns, Queryable } from '../db.js';
import { stageQuery, type Staged } from './staged.js';

/**
 * Customers' transaction histories cut at a calibration end, column by column (one entry per customer,
 * in customer id order); days are counted since 1970-01-01 UTC.
 */
export interface ClvHistoryNumbers {
  /** First transaction. With day grain a whole day number, with order grain fractional. */
  readonly firstDay: Float64Array;
  /** Repeat transactions (all but the first) before the calibration end. */
  readonly x: Float64Array;
  /** Last transaction before the calibration end. */
  readonly lastDay: Float64Array;
  /** Mean value of those repeat transactions; NaN without any. */
  readonly meanRepeatSpend: Float64Array;
  /** Transactions from the calibration end up to the holdout end (0 without a holdout). */
  readonly xStar: Float64Array;
  /** First transaction in the holdout; NaN when none. */
  readonly nextDay: Float64Array;
}

/** The histories with their customer ids. */
export interface ClvHistoryColumns extends ClvHistoryNumbers {
  readonly customerIds: readonly string[];
}

/** The histories staged in the connection (see Staged): customer_id stays in the table, the numbers come out. */
export interface StagedClvHistories extends Staged {
  readonly columns: ClvHistoryNumbers;
}

export type ClvGrain = 'day' | 'order';

// A transaction is a customer-day (the literature's default: several orders on one day are one purchase
// occasion) or a single order. Spend of a transaction is the revenue of its orders; refunds are not
// purchases and are left out. The two texts differ only in the grouping, chosen by code, never by user text.
//
// Spend is carried in whole units of 1/10,000 (revenue is DECIMAL(18,4), so every order's revenue is such
// a whole number), held in DOUBLEs: a sum of whole numbers below 2^53 is exact in any order, so for any
// customer whose orders add up (in absolute value) to less than 2^53 / 10,000 ≈ 900 billion, the repeat
// spend below is the exact sum and the mean is that sum divided once: the correctly rounded mean, the same
// on every run whatever order DuckDB's parallel aggregates add in.
const TRANSACTIONS: Record<ClvGrain, string> = {
  day: `SELECT customer_id, epoch(CAST(placed_at AS DATE)) / 86400 AS day, sum(CAST(revenue * 10000 AS BIGINT)::DOUBLE) AS spend
        FROM orders
        WHERE kind = 'order' AND customer_id IS NOT NULL AND placed_at < $2::TIMESTAMP
        GROUP BY customer_id, CAST(placed_at AS DATE)`,
  order: `SELECT customer_id, epoch(placed_at) / 86400 AS day, CAST(revenue * 10000 AS BIGINT)::DOUBLE AS spend, order_id
          FROM orders
          WHERE kind = 'order' AND customer_id IS NOT NULL AND placed_at < $2::TIMESTAMP`,
};

// The spend of each customer's first transaction. Days are distinct at day grain; at order grain, of orders
// placed at the same first moment, the one with the lowest order id is the first (any one would do; this
// one is the same on every run).
const FIRST_SPEND: Record<ClvGrain, string> = {
  day: 'arg_min(spend, day)',
  order: 'arg_min(spend, (day, order_id))',
};

/**
 * The SELECT of the histories, $1 = calibration end, $2 = holdout end (both exclusive). One aggregate per
 * customer: the first transaction is the earliest (min, arg_min), the repeat ones are the others before the
 * calibration end (their count and spend are the totals less the first's), so no window has to rank them.
 */
function historySql(grain: ClvGrain, oneCustomer = false): string {
  const cal = 'epoch($1::TIMESTAMP) / 86400';
  const repeats = `nullif(count(*) FILTER (WHERE day < ${cal}) - 1, 0)`;
  // One customer ($3): the same rows, filtered before they are grouped.
  const transactions = oneCustomer ? `SELECT * FROM (${TRANSACTIONS[grain]}) WHERE customer_id = $3` : TRANSACTIONS[grain];
  return `WITH t AS (${transactions})
     SELECT customer_id, min(day) AS first_day,
       count(*) FILTER (WHERE day < ${cal}) - 1 AS x,
       max(day) FILTER (WHERE day < ${cal}) AS last_day,
       (sum(spend) FILTER (WHERE day < ${cal}) - ${FIRST_SPEND[grain]}) / (10000 * ${repeats}) AS mean_repeat_spend,
       count(*) FILTER (WHERE day >= ${cal}) AS x_star,
       min(day) FILTER (WHERE day >= ${cal}) AS next_day
     FROM t
     GROUP BY customer_id
     HAVING min(day) < ${cal}
     ORDER BY customer_id`;
}

// The counts are read as DOUBLE: a double column is copied out of DuckDB at once, a BIGINT one converted
// value by value (readColumns).
const NUMBERS = 'first_day, x::DOUBLE AS x, last_day, mean_repeat_spend, x_star::DOUBLE AS x_star, next_day';

function historyNumbers(c: Columns): ClvHistoryNumbers {
  return {
    firstDay: c.numbers('first_day'),
    x: c.numbers('x'),
    lastDay: c.numbers('last_day'),
    meanRepeatSpend: c.numbers('mean_repeat_spend'),
    xStar: c.numbers('x_star'),
    nextDay: c.numbers('next_day'),
  };
}

/**
 * Per-customer summaries for lifetime-value models: customers whose first transaction is before
 * `calibrationEnd` (exclusive), their repeat transactions up to it, and the transactions between it and
 * `holdoutEnd` (exclusive; pass calibrationEnd for no holdout). Read as columns: a million customers are
 * seven arrays, not a million row objects. With `customerId`, that customer's row alone (or none).
 */
export async function clvHistories(
  db: ColumnQueryable,
  grain: ClvGrain,
  calibrationEnd: Date,
  holdoutEnd: Date,
  customerId?: string,
): Promise<ClvHistoryColumns> {
  const c =
    customerId === undefined
      ? await db.columns(historySql(grain), [calibrationEnd, holdoutEnd])
      : await db.columns(historySql(grain, true), [calibrationEnd, holdoutEnd, customerId]);
  return { customerIds: c.values<string>('customer_id'), ...historyNumbers(c) };
}

/** clvHistories with the customer ids left in a staged table, in the same order (see Staged). */
export async function stageClvHistories(
  db: ColumnQueryable,
  grain: ClvGrain,
  calibrationEnd: Date,
  holdoutEnd: Date,
): Promise<StagedClvHistories> {
  const staged = await stageQuery(db, 'clv_history', historySql(grain), [calibrationEnd, holdoutEnd]);
  return { ...staged, columns: historyNumbers(await db.columns(`SELECT ${NUMBERS} FROM ${staged.table}`)) };
}

/** First and last order time in the store (orders only), or undefined for an empty store. */
export async function orderTimeRange(db: Queryable): Promise<{ first: Date; last: Date } | undefined> {
  const row = await db.one<{ first: Date | null; last: Date | null }>(
    "SELECT min(placed_at) AS first, max(placed_at) AS last FROM orders WHERE kind = 'order' AND customer_id IS NOT NULL",
  );
  return row?.first && row.last ? { first: row.first, last: row.last } : undefined;
}
