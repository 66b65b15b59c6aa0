import type { Queryable, Store } from '../../db.js';
import type { RfmScores } from '../../../domain/rfm.js';

/**
 * SQL of RFM (definitions: docs/metrics.md, "RFM"). Scores come from mid-ranks: rank() over values
 * ordered worst-first is 1 + w, the number of strictly worse values, and count(*) over the partition of
 * equal values is t; the score is 1 + floor(bins · (2w + t) / 2n), in integers, so equal values get
 * equal scores and a tie is scored at its middle. The group of each (R, FM) cell comes from a
 * list parameter (cell (r, fm) at position (r − 1) × bins + fm), so a custom group table is data.
 */

/** Placeholders of one scoring: as_of TIMESTAMP, bins INTEGER, cell names VARCHAR[]. */
interface Slots {
  readonly asOf: string;
  readonly bins: string;
  readonly cells: string;
}

/** A SELECT yielding one scored row per customer with an order before as_of. */
export function rfmScoredSql(p: Slots): string {
  return `(
    WITH base AS (
      SELECT customer_id,
        count(*) FILTER (WHERE kind = 'order') AS frequency,
        round(sum(revenue), 2) AS monetary,
        max(placed_at) FILTER (WHERE kind = 'order') AS last_order_at
      FROM orders
      WHERE customer_id IS NOT NULL AND placed_at < ${p.asOf}::TIMESTAMP
      GROUP BY customer_id
      HAVING count(*) FILTER (WHERE kind = 'order') > 0
    ),
    vals AS (
      SELECT customer_id, frequency, monetary,
        ((epoch_ms(${p.asOf}::TIMESTAMP) - epoch_ms(last_order_at)) // 86400000)::INTEGER AS recency_days
      FROM base
    ),
    worse AS (
      SELECT *, count(*) OVER () AS n,
        rank() OVER (ORDER BY recency_days DESC) - 1 AS w_r,
        rank() OVER (ORDER BY frequency ASC) - 1 AS w_f,
        rank() OVER (ORDER BY monetary ASC) - 1 AS w_m,
        count(*) OVER (PARTITION BY recency_days) AS t_r,
        count(*) OVER (PARTITION BY frequency) AS t_f,
        count(*) OVER (PARTITION BY monetary) AS t_m
      FROM vals
    ),
    scored AS (
      SELECT customer_id, recency_days, frequency, monetary,
        least(${p.bins}::INTEGER, 1 + (${p.bins}::INTEGER * (2 * w_r + t_r)) // (2 * n))::INTEGER AS r,
        least(${p.bins}::INTEGER, 1 + (${p.bins}::INTEGER * (2 * w_f + t_f)) // (2 * n))::INTEGER AS f,
        least(${p.bins}::INTEGER, 1 + (${p.bins}::INTEGER * (2 * w_m + t_m)) // (2 * n))::INTEGER AS m
      FROM worse
    )
    SELECT customer_id, recency_days, frequency::INTEGER AS frequency, monetary::DECIMAL(38,2) AS monetary, r, f, m,
      r::VARCHAR || f::VARCHAR || m::VARCHAR AS score,
      list_extract(${p.cells}::VARCHAR[], (r - 1) * ${p.bins}::INTEGER + ((f + m + 1) // 2)::INTEGER) AS rfm_group
    FROM scored
  )`;
}

const ONE: Slots = { asOf: '$1', bins: '$2', cells: '$3' };

/** Midnight after the day of the latest order of an identified customer; undefined without orders. */
export async function defaultAsOf(db: Queryable): Promise<Date | undefined> {
  const row = await db.one<{ t: Date | null }>(
    `SELECT date_trunc('day', max(placed_at)) + INTERVAL 1 DAY AS t
     FROM orders WHERE customer_id IS NOT NULL AND kind = 'order'`,
  );
  return row?.t ?? undefined;
}

/** Replaces the snapshot in customer_rfm with the scores as of asOf, in one transaction. */
export async function saveRfmSnapshot(store: Store, asOf: Date, bins: number, cells: readonly string[]): Promise<number> {
  return store.transaction(async (tx) => {
    await tx.run('DELETE FROM customer_rfm');
    await tx.run(
      `INSERT INTO customer_rfm
       SELECT customer_id, $1::TIMESTAMP, $2::INTEGER, recency_days, frequency, monetary, r, f, m, score, rfm_group,
         now()::TIMESTAMP
       FROM ${rfmScoredSql(ONE)}`,
      [asOf, bins, cells],
    );
    const row = await tx.one<{ n: number }>('SELECT count(*) AS n FROM customer_rfm');
    return row?.n ?? 0;
  });
}

export interface RfmSpread {
  /** Customers scored as of as_of. */
  readonly n: number;
  /** Different values of recency_days, frequency and monetary among them, and the value when only one. */
  readonly recency_values: number;
  readonly frequency_values: number;
  readonly monetary_values: number;
  readonly recency: number | null;
  readonly frequency: number | null;
  readonly monetary: number | null;
}

/** How many customers are scored as of asOf and how many different values each dimension takes. */
export async function rfmSpread(db: Queryable, asOf: Date): Promise<RfmSpread> {
  const row = await db.one<RfmSpread>(
    `SELECT count(*)::INTEGER AS n,
       count(DISTINCT recency_days)::INTEGER AS recency_values, count(DISTINCT frequency)::INTEGER AS frequency_values,
       count(DISTINCT monetary)::INTEGER AS monetary_values,
       min(recency_days)::INTEGER AS recency, min(frequency)::INTEGER AS frequency, min(monetary)::DOUBLE AS monetary
     FROM ${rfmScoredSql({ asOf: '$1', bins: '5', cells: '[]' })}`,
    [asOf],
  );
  return row!;
}

export interface RfmCountRow {
  readonly dimension: 'group' | 'r' | 'f' | 'm';
  readonly key: string;
  readonly count: number;
}

const COUNTS = (source: string) => `
  SELECT CASE WHEN grouping(rfm_group) = 0 THEN 'group' WHEN grouping(r) = 0 THEN 'r'
              WHEN grouping(f) = 0 THEN 'f' ELSE 'm' END AS dimension,
    coalesce(rfm_group, r::VARCHAR, f::VARCHAR, m::VARCHAR) AS key,
    count(*) AS count
  FROM ${source}
  GROUP BY GROUPING SETS ((rfm_group), (r), (f), (m))
  ORDER BY dimension, key`;

/** Counts per group and per R, F and M score, computed from orders as of asOf. */
export function rfmCounts(db: Queryable, asOf: Date, bins: number, cells: readonly string[]): Promise<RfmCountRow[]> {
  return db.all<RfmCountRow>(COUNTS(rfmScoredSql(ONE)), [asOf, bins, cells]);
}

/** The same counts read from the saved snapshot (cheaper right after saveRfmSnapshot). */
export function rfmSnapshotCounts(db: Queryable): Promise<RfmCountRow[]> {
  return db.all<RfmCountRow>(COUNTS('customer_rfm'));
}

export interface RfmCustomerRow extends RfmScores {
  readonly customer_id: string;
  readonly rfm_group: string;
}

/** Every scored customer as of asOf, ordered by customer id. */
export function rfmRows(db: Queryable, asOf: Date, bins: number, cells: readonly string[]): Promise<RfmCustomerRow[]> {
  return db.all<RfmCustomerRow>(`SELECT * FROM ${rfmScoredSql(ONE)} ORDER BY customer_id`, [asOf, bins, cells]);
}

/** One customer's scores (ranks still come from the whole base); undefined when not scored. */
export function rfmOfCustomer(
  db: Queryable,
  customerId: string,
  asOf: Date,
  bins: number,
  cells: readonly string[],
): Promise<RfmCustomerRow | undefined> {
  return db.one<RfmCustomerRow>(`SELECT * FROM ${rfmScoredSql(ONE)} WHERE customer_id = $4`, [asOf, bins, cells, customerId]);
}

export const NOT_YET_A_CUSTOMER = '(not yet a customer)';

export interface MovementRow {
  readonly from_group: string;
  readonly to_group: string;
  readonly count: number;
}

/**
 * Group-to-group counts between two moments. Everyone scored at `from` is scored at `to` (their
 * orders are still there), so the join starts from `to`; customers without an order at `from` come
 * from the "(not yet a customer)" row.
 */
export function rfmMovement(db: Queryable, from: Date, to: Date, bins: number, cells: readonly string[]): Promise<MovementRow[]> {
  const a = rfmScoredSql({ asOf: '$1', bins: '$3', cells: '$4' });
  const b = rfmScoredSql({ asOf: '$2', bins: '$3', cells: '$4' });
  return db.all<MovementRow>(
    `SELECT coalesce(a.rfm_group, $5) AS from_group, b.rfm_group AS to_group, count(*) AS count
     FROM ${b} b LEFT JOIN ${a} a ON a.customer_id = b.customer_id
     GROUP BY ALL ORDER BY from_group, to_group`,
    [from, to, bins, cells, NOT_YET_A_CUSTOMER],
  );
}
