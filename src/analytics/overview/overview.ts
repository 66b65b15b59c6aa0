import type { Queryable } from '../../store/db.js';
import { qualityReport } from '../../ingest/quality/report.js';
import { customerStats, type CustomerStats } from '../../store/queries/metrics.js';
import { defaultAsOf } from '../../store/queries/analytics/rfm.js';
import { revenueWindows } from '../../store/queries/analytics/revenue.js';
import { segmentTrends, type SegmentTrend } from '../../segments/manage/trend.js';
import { shiftDays } from '../../domain/days.js';
import { storedMoments } from '../../store/queries/segments/stored-moments.js';
import { relativeChange } from '../../numeric/relative-change.js';
import { formatMoment, reportTimeZone } from '../asOf.js';

export const OVERVIEW_WINDOWS = [30, 90] as const;

export interface RevenueWindow {
  days: number;
  /**
   * net revenue of identified customers in (as_of − days, as_of], the days being calendar days of the
   * workspace zone (23 or 25 hours across a daylight-saving change)
   */
  current: number;
  /** the same in (as_of − 2·days, as_of − days] */
  previous: number;
  /** current / previous − 1; null when the period before had no revenue or a net loss (relativeChange) */
  change: number | null;
  orders_current: number;
  orders_previous: number;
}

export interface Overview {
  /**
   * the moment windows end: the one asked for, else midnight (in the workspace zone) after the local day
   * of the latest order; a local date when it is a midnight of that zone; null without orders
   */
  as_of: string | null;
  /** the workspace time zone: its midnights bound the revenue windows, and as_of's date is local to it */
  time_zone: string;
  /**
   * every customer and order stored, whatever as_of: the headline counts are of all data, not at as_of
   * (only the revenue windows end at as_of)
   */
  stats: CustomerStats;
  /**
   * the moment of the latest order, which `stats` count up to (a local date when it is a midnight of the
   * zone); null without orders. Later than as_of when an earlier as-of was asked: the text then says
   * the totals include orders after it (recheck 7, N5)
   */
  stats_through: string | null;
  /** whether stats count orders placed after as_of */
  stats_after_as_of: boolean;
  revenue: RevenueWindow[];
  segments: SegmentTrend[];
  /**
   * data-quality checks that found something, biggest first (the full report: `segmint quality`); null
   * when left out (`quality: false`), since the checks take most of the time on a large base
   */
  warnings: { id: string; title: string; count: number; out_of?: number }[] | null;
}

/**
 * The shop at a glance, as the dashboard's first page and `segmint overview` show it: headline counts,
 * net revenue in the last 30 and 90 days (calendar days of the workspace time zone) against the period before, every segment's size over time,
 * and the data-quality checks that found problems (quality is judged as of now, like `segmint quality`;
 * `quality: false` leaves them out, for a first screen that should not wait for them).
 */
export async function overview(db: Queryable, asOf?: Date, opts: { quality?: boolean } = {}): Promise<Overview> {
  const tz = await reportTimeZone(db);
  const at = asOf ?? (await defaultAsOf(db, new Date(), tz));
  const windows = at
    ? await revenueWindows(
        db,
        at,
        OVERVIEW_WINDOWS.map((days) => ({ days, start: shiftDays(at, -days, tz), previousStart: shiftDays(at, -2 * days, tz) })),
      )
    : [];
  const quality = opts.quality === false ? null : await qualityReport(db, new Date());
  const [latest] = await storedMoments(db, ['customer_metrics']);
  const through = latest?.moment ?? null;
  return {
    as_of: at ? formatMoment(at, tz) : null,
    time_zone: tz,
    stats: await customerStats(db),
    stats_through: through ? formatMoment(through, tz) : null,
    stats_after_as_of: through !== null && at !== null && at !== undefined && through.getTime() > at.getTime(),
    revenue: windows.map((w) => ({
      days: w.days,
      current: round2(w.current),
      previous: round2(w.previous),
      // No ratio against a period before of 0 or less: −7.00 then +40.00 would read −671.4% (trial 12, L5).
      change: relativeChange(w.current, w.previous),
      orders_current: w.orders_current,
      orders_previous: w.orders_previous,
    })),
    segments: await segmentTrends(db),
    warnings:
      quality === null
        ? null
        : quality.checks
            .filter((c) => c.count > 0)
            .sort((a, b) => b.count - a.count)
            .map((c) => ({ id: c.id, title: c.title, count: c.count, ...(c.out_of !== undefined ? { out_of: c.out_of } : {}) })),
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
