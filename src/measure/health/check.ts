import { defaultWarningSettings, segmentWarnings, type SegmentWarning, type WarningSettings } from '../../segments/manage/warnings.js';
import { loadCatalogue } from '../../segments/manage/catalogue.js';
import type { Store } from '../../store/db.js';
import { baseSize, insertHealthCheck, kpiMemberPairs, readKpis } from '../../store/queries/measure/kpis.js';
import { lastSegmentUses } from '../../store/queries/measure/usage.js';
import { about, count, percent } from '../format/numbers.js';
import { countOf } from '../../domain/words.js';
import { reportTimeZone } from '../../analytics/asOf.js';
import { DAY_MS } from '../../domain/days.js';
import { addDays, localDate } from '../../domain/time-zone.js';
import { dayBounds, yesterdayIn } from '../kpis/days.js';
import { ensureKpis, ensureMembersAt, type EnsureProgress } from '../kpis/ensure.js';
import { requiredTotal } from '../stats/power.js';

export interface HealthSettings extends WarningSettings {
  /** No entry or exit for this many days is stale (default 30). */
  readonly staleDays: number;
  /** Not used by a workflow, export or experiment for this many days is forgotten (default 60). */
  readonly forgottenDays: number;
  /** The relative lift a test on the segment should be able to detect (default 10%). */
  readonly mde: number;
}

export const defaultHealthSettings: HealthSettings = { ...defaultWarningSettings, staleDays: 30, forgottenDays: 60, mde: 0.1 };

export type HealthWarning =
  | SegmentWarning
  | { readonly code: 'too_small_to_measure'; readonly message: string; readonly size: number; readonly needed: number | null }
  | { readonly code: 'stale'; readonly message: string; readonly days: number }
  | { readonly code: 'forgotten'; readonly message: string; readonly last_used_at: Date | null; readonly days: number };

export interface SegmentHealth {
  readonly segment: string;
  /** Members at the end of the checked day. */
  readonly size: number;
  /** Estimated 30-day conversion of members: 1 − (1 − daily conversion)^30 over the checked days. */
  readonly conversion_30d: number | null;
  readonly warnings: readonly HealthWarning[];
}

export interface HealthReport {
  /** The last whole day the check describes: a calendar date of `time_zone`. */
  readonly day: string;
  /** The workspace time zone whose day `day` is. */
  readonly time_zone: string;
  readonly base: number;
  readonly segments: readonly SegmentHealth[];
  /** Warnings about the set of segments as a whole (over-segmentation). */
  readonly warnings: readonly { readonly code: 'over_segmentation'; readonly message: string; readonly segments: number; readonly supported: number }[];
}

/**
 * The health of every saved segment as of the end of yesterday in the workspace time zone (the local day
 * before the one holding `now`), from the daily KPI snapshots
 * (computed first where missing, over the last `staleDays` days): too small to act on (fewer than
 * minSize members or minShare of the base) or to measure (a 50/50 test could not detect an `mde` lift
 * in 30-day conversion with 80% power), near-duplicate of another segment (Jaccard ≥ duplicateJaccard),
 * stale (nobody entered or left for staleDays), forgotten (no workflow, export or experiment used it for
 * forgottenDays), and, for the whole set, over-segmentation: more segments than the base can fill at a
 * useful size. The report is stored in segment_health_checks and returned.
 */
export async function checkSegmentHealth(store: Store, settings: Partial<HealthSettings> = {}, now = new Date(), progress?: EnsureProgress): Promise<HealthReport> {
  const s = { ...defaultHealthSettings, ...settings };
  const tz = await reportTimeZone(store);
  const day = yesterdayIn(tz, now);
  const from = addDays(day, -(s.staleDays - 1));
  await ensureKpis(store, from, day, undefined, progress, () => now);
  await ensureMembersAt(store, day, tz);
  const catalogue = await loadCatalogue(store);
  const base = await baseSize(store, dayBounds(day, tz).end);
  const records = [...catalogue.records.values()];
  const rows = new Map<string, Awaited<ReturnType<typeof readKpis>>>();
  for (const r of records) rows.set(r.segment_id, await readKpis(store, r.segment_id, tz, from, day));
  const sizeOf = (id: string) => rows.get(id)?.at(-1)?.size ?? 0;
  const shared = new Map((await kpiMemberPairs(store)).map((p) => [`${p.a}\u0000${p.b}`, p.both]));
  const uses = new Map((await lastSegmentUses(store)).map((u) => [u.segment_id, u]));

  const segments: SegmentHealth[] = records.map((r) => {
    const size = sizeOf(r.segment_id);
    const overlaps = records
      .filter((o) => o.segment_id !== r.segment_id)
      .map((o) => ({
        name: o.name,
        size: sizeOf(o.segment_id),
        shared: shared.get(r.segment_id < o.segment_id ? `${r.segment_id}\u0000${o.segment_id}` : `${o.segment_id}\u0000${r.segment_id}`) ?? 0,
      }));
    const warnings: HealthWarning[] = segmentWarnings(size, base, overlaps, s, r.name);
    const days = rows.get(r.segment_id) ?? [];
    const buyers = days.reduce((t, d) => t + d.buyers, 0);
    const exposure = days.reduce((t, d) => t + d.members_at_start, 0);
    const conversion30 = exposure > 0 ? 1 - (1 - buyers / exposure) ** 30 : null;
    if (size > 0) {
      const measurable = measurableWarning(size, conversion30, s.mde);
      if (measurable) warnings.push(measurable);
      if (days.length >= s.staleDays && days.every((d) => d.entries === 0 && d.exits === 0)) {
        warnings.push({ code: 'stale', message: `Unchanged for ${countOf(s.staleDays, 'day')}: nobody entered or left since ${from}. Is the definition still describing anyone's behaviour?`, days: s.staleDays });
      }
    }
    const use = uses.get(r.segment_id);
    const since = use ? use.used_at : r.created_at;
    const idle = Math.floor((now.getTime() - since.getTime()) / DAY_MS);
    if (idle >= s.forgottenDays) {
      warnings.push({
        code: 'forgotten',
        message: use
          ? `Not used by any workflow, export or experiment for ${count(idle)} days (last: ${use.used_by}${use.ref ? ` "${use.ref}"` : ''} on ${localDate(use.used_at, tz)}).`
          : `Never used by a workflow, export or experiment in the ${count(idle)} days since it was created.`,
        last_used_at: use?.used_at ?? null,
        days: idle,
      });
    }
    return { segment: r.name, size, conversion_30d: conversion30, warnings };
  });

  const warnings: HealthReport['warnings'][number][] = [];
  const useful = Math.max(s.minSize, Math.ceil(s.minShare * base));
  const supported = Math.floor(base / useful);
  const small = segments.filter((x) => x.warnings.some((w) => w.code === 'too_small' || w.code === 'empty')).length;
  if (records.length > supported || (records.length >= 3 && small * 2 > records.length)) {
    warnings.push({
      code: 'over_segmentation',
      message:
        `${countOf(records.length, 'segment')} for a base of ${countOf(base, 'customer')}: at a useful size of ${count(useful)} ` +
        `(${s.minSize} customers or ${percent(s.minShare)} of the base) the base supports at most ${count(supported)}, ` +
        `and ${count(small)} of the segments are below it. Merge or retire some before acting on them one by one.`,
      segments: records.length,
      supported,
    });
  }
  const report: HealthReport = { day, time_zone: tz, base, segments, warnings };
  await insertHealthCheck(store, now, day, tz, report);
  return report;
}

/**
 * Whether a 50/50 test on a segment of `size` could detect a relative lift `mde` in 30-day conversion
 * with 80% power (power.ts, with the variance p(1 − p) in both groups).
 */
function measurableWarning(size: number, conversion30: number | null, mde: number): HealthWarning | null {
  if (conversion30 === null || conversion30 === 0) {
    return { code: 'too_small_to_measure', message: 'No member bought in the checked days: a conversion test on this segment could not show any lift.', size, needed: null };
  }
  const v = conversion30 * (1 - conversion30);
  const needed = Math.ceil(requiredTotal(mde * conversion30, v, 0.5, v, 0.5));
  if (size >= needed) return null;
  return {
    code: 'too_small_to_measure',
    message:
      `Too small to measure: with 30-day conversion at ${percent(conversion30)}, a 50/50 test needs about ${about(needed)} customers ` +
      `to detect a ${percent(mde, 0)} lift; this segment has ${count(size)}.`,
    size,
    needed,
  };
}
