import { loadCatalogue } from '../../segments/manage/catalogue.js';
import { compileChecked } from '../../segments/manage/crud.js';
import { segmentNotFound } from '../../segments/manage/names.js';
import type { Store } from '../../store/db.js';
import { kpiStateDay, seedKpiMembers, snapshotKpiDay, storedKpiDays } from '../../store/queries/measure/kpis.js';
import { addDays, DAY_MS } from './days.js';

export interface EnsureProgress {
  /** Called after each computed day with how many of the missing days are done. */
  (done: number, total: number): void;
}

/**
 * Makes sure every segment named (all saved segments when `names` is absent) has a stored snapshot for
 * every UTC day in [from, to]: days already stored are kept, missing ones are computed in order from
 * the history of orders and events (each day one evaluation of the definition as of the day's end),
 * one transaction per day, so an interruption loses at most the day in progress. Returns the number
 * of days computed. Unknown names are a 404.
 */
export async function ensureKpis(store: Store, from: Date, to: Date, names?: readonly string[], progress?: EnsureProgress, now = () => new Date()): Promise<number> {
  const catalogue = await loadCatalogue(store);
  const chosen = names ?? [...catalogue.records.keys()];
  for (const n of chosen) if (!catalogue.records.has(n)) throw segmentNotFound(n);
  const plan: { name: string; id: string; days: Date[] }[] = [];
  for (const name of chosen) {
    const id = catalogue.records.get(name)!.segment_id;
    const stored = new Set((await storedKpiDays(store, id, from, to)).map((d) => d.getTime()));
    const days: Date[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) if (!stored.has(d.getTime())) days.push(d);
    if (days.length > 0) plan.push({ name, id, days });
  }
  const total = plan.reduce((s, p) => s + p.days.length, 0);
  let done = 0;
  for (const { name, id, days } of plan) {
    const ast = catalogue.resolve(name)!;
    let state = await kpiStateDay(store, id);
    for (const day of days) {
      const previous = addDays(day, -1);
      if (state === undefined || state.getTime() !== previous.getTime()) {
        // The members at the start of this day are not at hand: evaluate them once for the run.
        await store.transaction((tx) => seedKpiMembers(tx, id, compileChecked(ast, catalogue.resolve, day), day, previous));
      }
      const end = new Date(day.getTime() + DAY_MS);
      await store.transaction((tx) => snapshotKpiDay(tx, id, compileChecked(ast, catalogue.resolve, end), day, end, now()));
      state = day;
      progress?.(++done, total);
    }
  }
  return total;
}

/**
 * Makes each segment's kept membership (segment_kpi_members) the one at the end of `day`, evaluating
 * it where an older backfill left another day there. Health checks compare segments on these.
 */
export async function ensureMembersAt(store: Store, day: Date): Promise<void> {
  const catalogue = await loadCatalogue(store);
  for (const [name, record] of catalogue.records) {
    const state = await kpiStateDay(store, record.segment_id);
    if (state?.getTime() === day.getTime()) continue;
    const end = new Date(day.getTime() + DAY_MS);
    await store.transaction((tx) => seedKpiMembers(tx, record.segment_id, compileChecked(catalogue.resolve(name)!, catalogue.resolve, end), end, day));
  }
}
