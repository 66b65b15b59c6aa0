import type { Queryable } from '../../db.js';
import { EMAIL_CLICKS, EMAIL_OPENS } from './engagement.js';
import type { CompiledSegment } from '../segments/compiled.js';
import { membersAsOf } from './members-as-of.js';

/**
 * A stored daily snapshot (columns of segment_kpis). `day` is a calendar date (YYYY-MM-DD) of the zone
 * the snapshot was computed in (`time_zone`, migration 26). Money is a number of the shop's currency.
 */
export interface KpiRow {
  segment_id: string;
  day: string;
  size: number;
  entries: number;
  exits: number;
  members_at_start: number;
  orders: number;
  buyers: number;
  revenue: number;
  gross_revenue: number;
  email_opens: number;
  email_clicks: number;
  email_openers: number;
  email_clickers: number;
  churn_low: number | null;
  churn_medium: number | null;
  churn_high: number | null;
  churn_unscored: number | null;
}

/** The local day whose end segment_kpi_members describes for a segment, with its zone; undefined when none. */
export async function kpiStateDay(db: Queryable, segmentId: string): Promise<{ day: string; timeZone: string } | undefined> {
  const r = await db.one<{ day: string; tz: string | null }>('SELECT last_day::VARCHAR AS day, time_zone AS tz FROM segment_kpi_state WHERE segment_id = $1', [segmentId]);
  return r ? { day: r.day, timeZone: r.tz ?? 'UTC' } : undefined;
}

/** Days of zone `tz` in [from, to] (ISO dates) that already have a snapshot, as ISO dates. */
export async function storedKpiDays(db: Queryable, segmentId: string, tz: string, from: string, to: string): Promise<string[]> {
  const rows = await db.all<{ day: string }>(
    'SELECT day::VARCHAR AS day FROM segment_kpis WHERE segment_id = $1 AND time_zone = $2 AND day BETWEEN $3::DATE AND $4::DATE ORDER BY day',
    [segmentId, tz, from, to],
  );
  return rows.map((r) => r.day);
}

/**
 * Makes segment_kpi_members of a segment the members at `end` (the end of local day `day` of zone `tz`),
 * the starting point of a run of snapshots. Run inside a transaction.
 */
export async function seedKpiMembers(tx: Queryable, segmentId: string, compiled: CompiledSegment, end: Date, day: string, tz: string): Promise<void> {
  const m = membersAsOf(compiled, end);
  await tx.run('DELETE FROM segment_kpi_members WHERE segment_id = $1', [segmentId]);
  await tx.run(
    `INSERT INTO segment_kpi_members (segment_id, customer_id) SELECT DISTINCT $${m.params.length + 1}, customer_id FROM (${m.sql}) AS m`,
    [...m.params, segmentId],
  );
  await setKpiState(tx, segmentId, day, tz);
}

async function setKpiState(tx: Queryable, segmentId: string, day: string, tz: string): Promise<void> {
  await tx.run('INSERT OR REPLACE INTO segment_kpi_state (segment_id, last_day, time_zone) VALUES ($1, $2::DATE, $3)', [segmentId, day, tz]);
}

/** One local day of a zone: its date and the instants it runs over, [start, end). */
export interface KpiDaySpan {
  readonly day: string;
  readonly timeZone: string;
  readonly start: Date;
  readonly end: Date;
}

/**
 * Writes the snapshot of one local day [start, end) (23, 24 or 25 hours) for a segment whose
 * segment_kpi_members hold the members at `start` (the end of the day before): evaluates the members at `end` (compiled for that
 * moment), counts entries and exits between the two, the orders, buyers and revenue and the email
 * opens and clicks of the members at the start of the day during it, and the churn-risk mix of the
 * members at its end (only when the stored predictions were made by then: their history is not kept).
 * Then the members at `end` replace those at `start`. Run inside a transaction.
 */
export async function snapshotKpiDay(tx: Queryable, segmentId: string, compiled: CompiledSegment, span: KpiDaySpan, now: Date): Promise<void> {
  const { start, end } = span;
  const m = membersAsOf(compiled, end);
  await tx.run(`CREATE OR REPLACE TEMP TABLE kpi_now AS SELECT DISTINCT customer_id FROM (${m.sql}) AS m`, m.params);
  await tx.run(
    `INSERT OR REPLACE INTO segment_kpis
       (segment_id, day, size, entries, exits, members_at_start, orders, buyers, revenue, gross_revenue,
        email_opens, email_clicks, email_openers, email_clickers, churn_low, churn_medium, churn_high, churn_unscored, computed_at, time_zone)
     WITH prev AS (SELECT customer_id FROM segment_kpi_members WHERE segment_id = $1),
     o AS (
       SELECT count(*) FILTER (WHERE o.kind = 'order') AS orders,
         count(DISTINCT o.customer_id) FILTER (WHERE o.kind = 'order') AS buyers,
         coalesce(sum(o.revenue), 0) AS revenue,
         coalesce(sum(o.revenue) FILTER (WHERE o.kind = 'order'), 0) AS gross
       FROM orders o JOIN prev ON prev.customer_id = o.customer_id
       WHERE o.placed_at > $2::TIMESTAMP AND o.placed_at <= $3::TIMESTAMP
     ),
     e AS (
       SELECT count(*) FILTER (WHERE list_contains($4::VARCHAR[], lower(e.event))) AS opens,
         count(*) FILTER (WHERE list_contains($5::VARCHAR[], lower(e.event))) AS clicks,
         count(DISTINCT e.customer_id) FILTER (WHERE list_contains($4::VARCHAR[], lower(e.event))) AS openers,
         count(DISTINCT e.customer_id) FILTER (WHERE list_contains($5::VARCHAR[], lower(e.event))) AS clickers
       FROM events e JOIN prev ON prev.customer_id = e.customer_id
       WHERE e.event IS NOT NULL AND e.timestamp > $2::TIMESTAMP AND e.timestamp <= $3::TIMESTAMP
     ),
     scored AS (SELECT max(as_of) <= $3::TIMESTAMP AS known FROM customer_predictions),
     churn AS (
       SELECT count(*) FILTER (WHERE p.churn_risk = 'low') AS low, count(*) FILTER (WHERE p.churn_risk = 'medium') AS medium,
         count(*) FILTER (WHERE p.churn_risk = 'high') AS high, count(*) FILTER (WHERE p.customer_id IS NULL) AS unscored
       FROM kpi_now n LEFT JOIN customer_predictions p ON p.customer_id = n.customer_id
     )
     SELECT $1, $7::DATE,
       (SELECT count(*) FROM kpi_now),
       (SELECT count(*) FROM (SELECT customer_id FROM kpi_now EXCEPT SELECT customer_id FROM prev)),
       (SELECT count(*) FROM (SELECT customer_id FROM prev EXCEPT SELECT customer_id FROM kpi_now)),
       (SELECT count(*) FROM prev),
       o.orders, o.buyers, round(o.revenue, 2), round(o.gross, 2),
       e.opens, e.clicks, e.openers, e.clickers,
       CASE WHEN scored.known THEN churn.low END, CASE WHEN scored.known THEN churn.medium END,
       CASE WHEN scored.known THEN churn.high END, CASE WHEN scored.known THEN churn.unscored END,
       $6::TIMESTAMP, $8
     FROM o, e, scored, churn`,
    [segmentId, start, end, EMAIL_OPENS, EMAIL_CLICKS, now, span.day, span.timeZone],
  );
  await tx.run('DELETE FROM segment_kpi_members WHERE segment_id = $1', [segmentId]);
  await tx.run('INSERT INTO segment_kpi_members (segment_id, customer_id) SELECT $1, customer_id FROM kpi_now', [segmentId]);
  await setKpiState(tx, segmentId, span.day, span.timeZone);
}

/** Stored snapshots of a segment for the days of zone `tz` in [from, to] (ISO dates), by day. */
export async function readKpis(db: Queryable, segmentId: string, tz: string, from: string, to: string): Promise<KpiRow[]> {
  return db.all<KpiRow>(
    `SELECT segment_id, day::VARCHAR AS day, size, entries, exits, members_at_start, orders, buyers,
       revenue::DOUBLE AS revenue, gross_revenue::DOUBLE AS gross_revenue, email_opens, email_clicks, email_openers, email_clickers,
       churn_low, churn_medium, churn_high, churn_unscored
     FROM segment_kpis WHERE segment_id = $1 AND time_zone = $2 AND day BETWEEN $3::DATE AND $4::DATE ORDER BY day`,
    [segmentId, tz, from, to],
  );
}

/** Customers in both of two segments' latest snapshot memberships, for every pair sharing any (a < b by id). */
export async function kpiMemberPairs(db: Queryable): Promise<{ a: string; b: string; both: number }[]> {
  return db.all(
    `SELECT x.segment_id AS a, y.segment_id AS b, count(*) AS both
     FROM segment_kpi_members x JOIN segment_kpi_members y ON x.customer_id = y.customer_id AND x.segment_id < y.segment_id
     GROUP BY 1, 2`,
  );
}

/** Removes everything measurement keeps about a segment (its snapshots, their members and its uses). */
export async function deleteSegmentMeasures(tx: Queryable, segmentId: string): Promise<void> {
  for (const table of ['segment_kpis', 'segment_kpi_members', 'segment_kpi_state', 'segment_usage']) {
    await tx.run(`DELETE FROM ${table} WHERE segment_id = $1`, [segmentId]);
  }
}

/** Keeps a health report (see src/measure/health) of local day `day` (ISO date) of zone `tz`. */
export async function insertHealthCheck(db: Queryable, checkedAt: Date, day: string, tz: string, report: unknown): Promise<void> {
  await db.run('INSERT INTO segment_health_checks (checked_at, as_of_day, report, time_zone) VALUES ($1, $2::DATE, $3, $4)', [checkedAt, day, JSON.stringify(report), tz]);
}

/** Live (not merged) customers first seen by `at`: the base segments are carved from. */
export async function baseSize(db: Queryable, at: Date): Promise<number> {
  return (await db.one<{ n: number }>('SELECT count(*) AS n FROM customers WHERE merged_into IS NULL AND created_at <= $1', [at]))?.n ?? 0;
}
