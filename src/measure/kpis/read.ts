import { findSegmentRecord } from '../../store/queries/segments/definitions.js';
import { recordsEmailEngagement } from '../../store/queries/measure/engagement.js';
import { readKpis, type KpiRow } from '../../store/queries/measure/kpis.js';
import { segmentNotFound } from '../../segments/manage/names.js';
import type { Store } from '../../store/db.js';
import { ensureKpis, type EnsureProgress } from './ensure.js';
import { reportTimeZone } from '../../analytics/asOf.js';

/** One day of a segment, as shown: the stored counts and the rates read from them. */
export interface KpiDay {
  readonly day: string;
  /** Members at the end of the day. */
  readonly size: number;
  readonly entries: number;
  readonly exits: number;
  /** Members at the start of the day: the population the day's orders and emails are counted over. */
  readonly members_at_start: number;
  readonly orders: number;
  readonly buyers: number;
  /** Net revenue (orders minus refunds) of those members during the day. */
  readonly revenue: number;
  /** buyers / members_at_start; null without members. */
  readonly conversion: number | null;
  /** Order revenue / orders; null without orders. */
  readonly aov: number | null;
  readonly email_opens: number;
  readonly email_clicks: number;
  /** Members who opened an email that day / members_at_start; null without members, or when the shop records no email events at all. */
  readonly open_rate: number | null;
  /** Likewise for clicks. */
  readonly click_rate: number | null;
  /** Members at the end of the day by churn-risk band; null where the predictions of that time are not known. */
  readonly churn_risk: { readonly low: number; readonly medium: number; readonly high: number; readonly unscored: number } | null;
}

export interface KpiTotals {
  readonly days: number;
  readonly size_first: number;
  readonly size_last: number;
  readonly entries: number;
  readonly exits: number;
  readonly orders: number;
  readonly revenue: number;
  /** Σ buyers / Σ members_at_start: the chance a member buys on a given day. */
  readonly daily_conversion: number | null;
  readonly aov: number | null;
  /** Σ openers / Σ members_at_start; null as open_rate is. */
  readonly daily_open_rate: number | null;
}

export interface SegmentKpis {
  readonly segment: string;
  /** The time zone whose calendar days `from`, `to` and each `day` are (the workspace time zone). */
  readonly time_zone: string;
  readonly from: string;
  readonly to: string;
  readonly days: readonly KpiDay[];
  readonly totals: KpiTotals;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** `email`: whether the shop records email events at all; without any, the email rates are unknown (null). */
function toDay(r: KpiRow, email: boolean): KpiDay {
  return {
    day: r.day,
    size: r.size,
    entries: r.entries,
    exits: r.exits,
    members_at_start: r.members_at_start,
    orders: r.orders,
    buyers: r.buyers,
    revenue: r.revenue,
    conversion: ratio(r.buyers, r.members_at_start),
    aov: ratio(r.gross_revenue, r.orders),
    email_opens: r.email_opens,
    email_clicks: r.email_clicks,
    open_rate: email ? ratio(r.email_openers, r.members_at_start) : null,
    click_rate: email ? ratio(r.email_clickers, r.members_at_start) : null,
    churn_risk: r.churn_low === null ? null : { low: r.churn_low, medium: r.churn_medium ?? 0, high: r.churn_high ?? 0, unscored: r.churn_unscored ?? 0 },
  };
}

function totalsOf(rows: readonly KpiRow[], email: boolean): KpiTotals {
  const sum = (f: (r: KpiRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    days: rows.length,
    size_first: rows[0]?.size ?? 0,
    size_last: rows[rows.length - 1]?.size ?? 0,
    entries: sum((r) => r.entries),
    exits: sum((r) => r.exits),
    orders: sum((r) => r.orders),
    revenue: Math.round(sum((r) => r.revenue) * 100) / 100,
    daily_conversion: ratio(sum((r) => r.buyers), sum((r) => r.members_at_start)),
    aov: ratio(sum((r) => r.gross_revenue), sum((r) => r.orders)),
    daily_open_rate: email ? ratio(sum((r) => r.email_openers), sum((r) => r.members_at_start)) : null,
  };
}

/**
 * The daily KPIs of saved segments over [from, to] (ISO dates: days of the workspace time zone, each
 * from its local midnight to the next), side by side when several are named:
 * missing days are computed and stored first (ensure.ts), so the first request for a long range takes
 * a while and later ones read the store. Unknown names are a 404.
 */
export async function segmentKpis(store: Store, names: readonly string[], from: string, to: string, progress?: EnsureProgress): Promise<SegmentKpis[]> {
  await ensureKpis(store, from, to, names, progress);
  const tz = await reportTimeZone(store);
  const out: SegmentKpis[] = [];
  const email = await recordsEmailEngagement(store);
  for (const name of names) {
    const rec = await findSegmentRecord(store, name);
    if (!rec) throw segmentNotFound(name);
    const rows = await readKpis(store, rec.segment_id, tz, from, to);
    out.push({ segment: name, time_zone: tz, from, to, days: rows.map((r) => toDay(r, email)), totals: totalsOf(rows, email) });
  }
  return out;
}
