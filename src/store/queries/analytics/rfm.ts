import type { Queryable, Store } from '../../db.js';
import type { RfmScores } from '../../../domain/rfm.js';
import { customerValuesSql } from './customer-values.js';
import { midnightAfter } from '../../../domain/days.js';

/**
 * SQL of RFM (definitions: docs/metrics.md, "RFM"). Scores come from mid-ranks: with w the number of
 * strictly worse values and t the number of values equal to this one (itself included) among n, the score
 * is 1 + ⌊bins·(2w + t) / 2n⌋, so equal values get equal scores and a tie is scored at its middle (as
 * scipy's percentileofscore kind='mean'). No rank of the base is computed: w and t are the same for every
 * customer with the same value, and 2w + t grows strictly from one distinct value to the next (the next
 * one's w is w + t), so the score only grows with the value. A score is therefore 1 + the number of the
 * bins − 1 cut values c_k at least as bad as the customer's, c_k being the worst value with
 * bins·(2w + t) ≥ 2n·k. The cut values come from each column's histogram of distinct values, cumulated
 * worst first (cum = w + t, so 2w + t = 2·cum − t). Only distinct values are sorted (730 recencies in two
 * years, a few dozen frequencies), never the base, so RFM costs about one aggregation pass over the
 * orders; the same histograms give the spread behind the warnings (how many different values each
 * column takes), so a run scores the base once. The group of each (R, FM) cell comes from a list
 * parameter (cell (r, fm) at position (r − 1) × bins + fm), so a custom group table is data.
 */

/** Placeholders of one scoring: as_of TIMESTAMP, bins INTEGER, cell names VARCHAR[]. */
interface Slots {
  readonly asOf: string;
  readonly bins: string;
  readonly cells: string;
}

/**
 * The cut values of one column as a list (c_1 … c_{bins−1}) from its histogram `hist` (v, t): `worseFirst`
 * orders its distinct values worst first, `first` picks the first of them in that order whose mid-rank
 * reaches cut k, bins·(2·cum − t) ≥ 2n·k. When no value reaches cut k (a tie at the top too large for it),
 * no later cut is reached either, so the list is shorter and the missing cuts read as NULL.
 */
function cutsSql(hist: string, worseFirst: 'ASC' | 'DESC', bins: string): string {
  const first = worseFirst === 'ASC' ? 'min' : 'max';
  return `(SELECT list(cut ORDER BY k) FROM (
      SELECT k, ${first}(v) AS cut
      FROM ks JOIN (
        SELECT v, t, sum(t) OVER (ORDER BY v ${worseFirst} ROWS UNBOUNDED PRECEDING) AS cum
        FROM ${hist}
      ) ON ${bins}::INTEGER * (2 * cum - t) >= 2 * n * k
      GROUP BY k))`;
}

/** The most bins a table may have (groups.ts allows 3 and 5): a score adds up at most MAX_BINS − 1 cuts. */
const MAX_BINS = 5;
const CUTS = Array.from({ length: MAX_BINS - 1 }, (_, i) => i + 1);

/**
 * 1 + the number of cut values at least as bad as the value. The cuts only get better from c_1 to
 * c_{bins−1} (each is the worst value of a shrinking set of values), so that number is the last k whose
 * cut is at least as bad: a CASE from the best cut down, which stops at the first match. A cut past the
 * table's bins, or one no value reaches, is NULL: its comparison is not true, and every later cut is NULL
 * too. A CASE of plain comparisons costs a quarter of summing the comparisons as integers, and a lambda or
 * a list lookup per row costs more than the whole aggregation.
 */
function scoreFromCuts(prefix: string, worse: '<=' | '>=', value: string): string {
  const best = [...CUTS].reverse();
  return `CASE ${best.map((k) => `WHEN ${prefix}${k} ${worse} ${value} THEN ${k + 1}`).join(' ')} ELSE 1 END`;
}

/**
 * The common table expressions of one scoring, to follow WITH: `vals` (the customers' values, computed
 * once), `total` (n), `hist_r`, `hist_f`, `hist_m` (each column's distinct values v with their counts t),
 * `cut` (the cut values) and `scores` (recency_days, frequency, monetary, r, f, m per customer, and
 * customer_id when `ids`). Without `ids` the customers' ids are not carried past the aggregation (counts
 * do not need them).
 */
function scoringCtes(p: Slots, ids: boolean): string {
  const id = ids ? 'customer_id, ' : '';
  const cutColumns = (prefix: string) => CUTS.map((k) => `${prefix}_cuts[${k}] AS ${prefix}${k}`).join(', ');
  const hist = (column: string) => `SELECT ${column} AS v, count(*) AS t FROM vals GROUP BY ALL`;
  return `vals AS MATERIALIZED (SELECT ${id}frequency, monetary, recency_days FROM (${customerValuesSql(p.asOf)})),
    total AS (SELECT count(*) AS n FROM vals),
    ks AS (SELECT k, n FROM range(1, ${p.bins}::INTEGER) t(k), total),
    hist_r AS MATERIALIZED (${hist('recency_days')}),
    hist_f AS MATERIALIZED (${hist('frequency')}),
    hist_m AS MATERIALIZED (${hist('monetary')}),
    cut AS MATERIALIZED (
      SELECT ${cutColumns('r')}, ${cutColumns('f')}, ${cutColumns('m')}
      FROM (SELECT ${cutsSql('hist_r', 'DESC', p.bins)} AS r_cuts, ${cutsSql('hist_f', 'ASC', p.bins)} AS f_cuts,
        ${cutsSql('hist_m', 'ASC', p.bins)} AS m_cuts)
    ),
    scores AS (
      SELECT ${id}recency_days, frequency, monetary,
        ${scoreFromCuts('r', '>=', 'recency_days')} AS r,
        ${scoreFromCuts('f', '<=', 'frequency')} AS f,
        ${scoreFromCuts('m', '<=', 'monetary')} AS m
      FROM vals, cut
    )`;
}

/** A SELECT yielding customer_id, recency_days, frequency, monetary and the R, F and M scores per customer. */
export function rfmScoresSql(p: Slots): string {
  return `(WITH ${scoringCtes(p, true)} SELECT * FROM scores)`;
}

/** The group of cell (r, ⌈(f + m)/2⌉) from the cell-name list parameter. */
const groupOf = (p: Slots) => `list_extract(${p.cells}::VARCHAR[], (r - 1) * ${p.bins}::INTEGER + ((f + m + 1) // 2)::INTEGER)`;

/** A SELECT yielding one scored row per customer with an order before as_of. */
export function rfmScoredSql(p: Slots): string {
  return `(
    SELECT customer_id, recency_days, frequency::INTEGER AS frequency, monetary::DECIMAL(38,2) AS monetary, r, f, m,
      r::VARCHAR || f::VARCHAR || m::VARCHAR AS score, ${groupOf(p)} AS rfm_group
    FROM ${rfmScoresSql(p)}
  )`;
}

const ONE: Slots = { asOf: '$1', bins: '$2', cells: '$3' };

/**
 * Midnight after the day of the latest order of an identified customer, days being those of the zone
 * `tz` (default UTC; reports pass the workspace zone), but never later than midnight after `now`'s day
 * there: an order dated in the future (a wrong clock, a hostile claim stored before such times were
 * refused) must not move every report past today (docs/analytics.md, "as of"). Undefined without orders.
 */
export async function defaultAsOf(db: Queryable, now: Date = new Date(), tz = 'UTC'): Promise<Date | undefined> {
  const row = await db.one<{ t: Date | null }>(`SELECT max(placed_at) AS t FROM orders WHERE customer_id IS NOT NULL AND kind = 'order'`);
  if (!row?.t) return undefined;
  const latest = row.t.getTime() < now.getTime() ? row.t : now;
  return midnightAfter(latest, tz);
}

/** Orders of identified customers placed at or after `at` (those a capped default as-of leaves out). */
export async function ordersFrom(db: Queryable, at: Date): Promise<number> {
  const row = await db.one<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM orders WHERE customer_id IS NOT NULL AND kind = 'order' AND placed_at >= $1::TIMESTAMP`,
    [at],
  );
  return row?.n ?? 0;
}

/** Replaces the snapshot in customer_rfm with the scores as of asOf (inside the caller's transaction). */
async function replaceSnapshot(tx: Queryable, asOf: Date, bins: number, cells: readonly string[]): Promise<void> {
  await tx.run('DELETE FROM customer_rfm');
  await tx.run(
    `INSERT INTO customer_rfm
     SELECT customer_id, $1::TIMESTAMP, $2::INTEGER, recency_days, frequency, monetary, r, f, m, score, rfm_group,
       now()::TIMESTAMP
     FROM ${rfmScoredSql(ONE)}`,
    [asOf, bins, cells],
  );
}

/** Replaces the snapshot in customer_rfm with the scores as of asOf, in one transaction. */
export async function saveRfmSnapshot(store: Store, asOf: Date, bins: number, cells: readonly string[]): Promise<number> {
  return store.transaction(async (tx) => {
    await replaceSnapshot(tx, asOf, bins, cells);
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

export interface RfmCountRow {
  readonly dimension: 'group' | 'r' | 'f' | 'm';
  readonly key: string;
  readonly count: number;
}

/** What one RFM run reports about the whole base: the spread of its values and the counts per score. */
export interface RfmSummary {
  readonly spread: RfmSpread;
  /** Per group and per R, F and M score, ordered by dimension and key; scores no one has are absent. */
  readonly counts: RfmCountRow[];
}

/** The spread of the scored values from one column histogram each (v, t): a histogram has a row per value. */
const SPREAD_OF_HISTOGRAMS = `SELECT (SELECT n FROM total)::INTEGER AS n,
    (SELECT count(v) FROM hist_r)::INTEGER AS recency_values, (SELECT count(v) FROM hist_f)::INTEGER AS frequency_values,
    (SELECT count(v) FROM hist_m)::INTEGER AS monetary_values,
    (SELECT min(v) FROM hist_r)::INTEGER AS recency, (SELECT min(v) FROM hist_f)::INTEGER AS frequency,
    (SELECT min(v) FROM hist_m)::DOUBLE AS monetary`;

/**
 * The spread of the scored values of `source`, a table or a parenthesised SELECT with recency_days,
 * frequency and monetary (the snapshot; over rfmScoredSql, the spread as RFM computed it before it came
 * from the histograms, which tests compare them with).
 */
export function spreadSql(source: string): string {
  return `SELECT count(*)::INTEGER AS n,
    count(DISTINCT recency_days)::INTEGER AS recency_values, count(DISTINCT frequency)::INTEGER AS frequency_values,
    count(DISTINCT monetary)::INTEGER AS monetary_values,
    min(recency_days)::INTEGER AS recency, min(frequency)::INTEGER AS frequency, min(monetary)::DOUBLE AS monetary
  FROM ${source}`;
}

/**
 * One statement answering a whole summary: `ctes` (to follow WITH) define `cells` (rfm_group, r, f, m, n:
 * customers per (R, F, M) cell, at most bins³ rows) and `spread` (one row of RfmSpread). Every result row
 * carries the spread; with no one scored there is one row and no counts.
 */
const SUMMARY = (ctes: string) => `
  WITH ${ctes},
  counts AS (
    SELECT CASE WHEN grouping(rfm_group) = 0 THEN 'group' WHEN grouping(r) = 0 THEN 'r'
                WHEN grouping(f) = 0 THEN 'f' ELSE 'm' END AS dimension,
      coalesce(rfm_group, r::VARCHAR, f::VARCHAR, m::VARCHAR) AS key,
      sum(n)::BIGINT AS count
    FROM cells
    GROUP BY GROUPING SETS ((rfm_group), (r), (f), (m))
  )
  SELECT spread.*, dimension, key, count FROM spread LEFT JOIN counts ON true
  ORDER BY dimension, key`;

type SummaryRow = RfmSpread & { readonly dimension: RfmCountRow['dimension'] | null; readonly key: string | null; readonly count: number | null };

function toSummary(rows: readonly SummaryRow[]): RfmSummary {
  const { n, recency_values, frequency_values, monetary_values, recency, frequency, monetary } = rows[0]!;
  return {
    spread: { n, recency_values, frequency_values, monetary_values, recency, frequency, monetary },
    counts: rows.flatMap((r) => (r.dimension === null ? [] : [{ dimension: r.dimension, key: r.key!, count: r.count! }])),
  };
}

/**
 * The spread and the counts per group and per R, F and M score as of asOf, from one scoring of the orders:
 * customers are counted per (R, F, M) cell first, so group names are looked up for the cells, not for
 * every customer, and the spread comes from the histograms the cut values are read from.
 */
export async function rfmSummary(db: Queryable, asOf: Date, bins: number, cells: readonly string[]): Promise<RfmSummary> {
  const rows = await db.all<SummaryRow>(
    SUMMARY(`${scoringCtes(ONE, false)},
      cells AS (SELECT r, f, m, ${groupOf(ONE)} AS rfm_group, n FROM (SELECT r, f, m, count(*) AS n FROM scores GROUP BY ALL)),
      spread AS (${SPREAD_OF_HISTOGRAMS})`),
    [asOf, bins, cells],
  );
  return toSummary(rows);
}

/**
 * Replaces the snapshot in customer_rfm with the scores as of asOf and returns its summary, all in one
 * transaction; `accept` sees the summary before the commit, and a throw from it rolls the snapshot back
 * (the previous one stays). With `customerId`, that customer's saved row too (undefined when not scored).
 */
export async function saveRfmSnapshotSummary(
  store: Store,
  asOf: Date,
  bins: number,
  cells: readonly string[],
  accept: (summary: RfmSummary) => void,
  customerId?: string,
): Promise<RfmSummary & { readonly customer?: RfmCustomerRow }> {
  return store.transaction(async (tx) => {
    await replaceSnapshot(tx, asOf, bins, cells);
    const summary = toSummary(
      await tx.all<SummaryRow>(
        SUMMARY(`cells AS (SELECT rfm_group, r, f, m, count(*) AS n FROM customer_rfm GROUP BY ALL), spread AS (${spreadSql('customer_rfm')})`),
      ),
    );
    accept(summary);
    if (customerId === undefined) return summary;
    const customer = await tx.one<RfmCustomerRow>(
      `SELECT customer_id, recency_days, frequency, monetary, r, f, m, score, rfm_group FROM customer_rfm WHERE customer_id = $1`,
      [customerId],
    );
    return { ...summary, ...(customer ? { customer } : {}) };
  });
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
