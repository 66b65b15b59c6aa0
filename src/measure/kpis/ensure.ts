import { reportTimeZone } from '../../analytics/asOf.js';
import { addDays } from '../../domain/time-zone.js';
import { loadCatalogue } from '../../segments/manage/catalogue.js';
import { compileChecked } from '../../segments/manage/crud.js';
import { segmentNotFound } from '../../segments/manage/names.js';
import type { Store } from '../../store/db.js';
import { kpiStateDay, seedKpiMembers, snapshotKpiDay, storedKpiDays } from '../../store/queries/measure/kpis.js';
import { dayBounds } from './days.js';

export interface EnsureProgress {
  /** Called after each computed day with how many of the missing days are done. */
  (done: number, total: number): void;
}

/**
 * Makes sure every segment named (all saved segments when `names` is absent) has a stored snapshot for
 * every day in [from, to] (ISO dates) of the workspace time zone (reportTimeZone): days of that zone
 * already stored are kept, missing ones are computed in order from the history of orders and events
 * (each day one evaluation of the definition as of the day's end, its local midnight), one transaction
 * per day, so an interruption loses at most the day in progress. Snapshots of another zone (before the
 * workspace zone changed) are neither read nor overwritten. Returns the number of days computed.
 * Unknown names are a 404.
 */
export async function ensureKpis(store: Store, from: string, to: string, names?: readonly string[], progress?: EnsureProgress, now = () => new Date()): Promise<number> {
  const tz = await reportTimeZone(store);
  const catalogue = await loadCatalogue(store);
  const chosen = names ?? [...catalogue.records.keys()];
  for (const n of chosen) if (!catalogue.records.has(n)) throw segmentNotFound(n);
  const plan: { name: string; id: string; days: string[] }[] = [];
  for (const name of chosen) {
    const id = catalogue.records.get(name)!.segment_id;
    const stored = new Set(await storedKpiDays(store, id, tz, from, to));
    const days: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) if (!stored.has(d)) days.push(d);
    if (days.length > 0) plan.push({ name, id, days });
  }
  const total = plan.reduce((s, p) => s + p.days.length, 0);
  let done = 0;
  for (const { name, id, days } of plan) {
    const ast = catalogue.resolve(name)!;
    const kept = await kpiStateDay(store, id);
    let state = kept?.timeZone === tz ? kept.day : undefined;
    for (const day of days) {
      const { start, end } = dayBounds(day, tz);
      if (state !== addDays(day, -1)) {
        // The members at the start of this day are not at hand: evaluate them once for the run.
        await store.transaction((tx) => seedKpiMembers(tx, id, compileChecked(ast, catalogue.resolve, start), start, addDays(day, -1), tz));
      }
      await store.transaction((tx) => snapshotKpiDay(tx, id, compileChecked(ast, catalogue.resolve, end), { day, timeZone: tz, start, end }, now()));
      state = day;
      progress?.(++done, total);
    }
  }
  return total;
}

/**
 * Makes each segment's kept membership (segment_kpi_members) the one at the end of local day `day` of
 * the zone `tz`, evaluating it where an older backfill (or another zone) left another day there. Health
 * checks compare segments on these.
 */
export async function ensureMembersAt(store: Store, day: string, tz: string): Promise<void> {
  const catalogue = await loadCatalogue(store);
  const { end } = dayBounds(day, tz);
  for (const [name, record] of catalogue.records) {
    const state = await kpiStateDay(store, record.segment_id);
    if (state?.day === day && state.timeZone === tz) continue;
    await store.transaction((tx) => seedKpiMembers(tx, record.segment_id, compileChecked(catalogue.resolve(name)!, catalogue.resolve, end), end, day, tz));
  }
}
