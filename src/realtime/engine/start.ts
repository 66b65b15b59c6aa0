import type { Queryable } from '../../store/db.js';
import { segmentsWithWebhooks, storedMembers } from '../../store/queries/realtime/record.js';
import { existingTables } from '../../store/queries/realtime/state.js';
import { evalLive } from '../evaluate/live-evaluate.js';
import { nextLook } from '../evaluate/next-change.js';
import { earliestDue, isMember, newRecord } from '../state/customer.js';
import { compileLive } from './definitions.js';
import { loadProfiles, loadStream } from './load.js';
import { profileReads, readKeys, type EngineModel, type PlanEntry } from './model.js';
import type { Stage } from './stage.js';
import { evaluateAt } from './steps.js';

/** What start-up leaves for the first step: segments to evaluate at the step's clock. */
export interface CatchUp {
  /** (customer, segment) pairs whose stored membership does not match the data at the watermark */
  readonly mismatched: { id: string; entry: PlanEntry }[];
  /** stored members the engine has no customer for */
  readonly orphans: { id: string; entry: PlanEntry }[];
}

/**
 * Builds the model from the store as it was at the watermark W (the instant up to which every change
 * is recorded): plans, streams held as of W, profiles, and the stored memberships. For each customer and
 * segment whose stored membership is what the data says at W, the next look after W is planned, so the
 * first step (at now) walks every change that came due while no engine ran, each at its own instant.
 * A stored membership the data at W contradicts was changed behind the engine's back (a command run
 * on the database while no server held it): it is evaluated, and recorded, at now.
 */
export async function loadModel(tx: Queryable, model: EngineModel, watermark: number | undefined, now: number, maxHeldEvents: number): Promise<CatchUp> {
  const asOf = watermark !== undefined ? Math.min(watermark, now) : now;
  const live = await compileLive(tx, model.catalog, new Map(), () => model.allocStreamSlot(), now, maxHeldEvents);
  model.refused = live.refused;
  model.streams = live.streams;
  model.tables = await existingTables(tx);
  model.webhookSegments = await segmentsWithWebhooks(tx);
  model.reads = profileReads(live.plans, model.tables);
  model.plans = new Map(live.plans.map((plan) => [plan.segmentId, { plan, slot: model.allocPlanSlot(), keys: readKeys(plan), members: 0, evaluations: 0 }]));

  const { live: profiles } = await loadProfiles(tx, model.reads);
  for (const [id, profile] of profiles) model.customers.set(id, newRecord(id, profile, model.planSlots));
  for (const def of live.load) {
    for (const [id, state] of await loadStream(tx, def, asOf, model.catalog)) {
      const rec = model.customers.get(id);
      if (rec) rec.streams[def.slot] = state;
    }
  }
  const entries = [...model.plans.values()];
  const bySegment = new Map(entries.map((e) => [e.plan.segmentId, e]));
  const orphans: CatchUp['orphans'] = [];
  for (const row of await storedMembers(tx, [...bySegment.keys()])) {
    const entry = bySegment.get(row.segment_id)!;
    const rec = model.customers.get(row.customer_id);
    if (rec) rec.since[entry.slot] = row.since;
    else orphans.push({ id: row.customer_id, entry });
  }
  const mismatched: CatchUp['mismatched'] = [];
  for (const rec of model.customers.values()) {
    for (const entry of entries) {
      const stored = isMember(rec, entry.slot);
      if (stored) entry.members++;
      const ctx = { rec, catalog: model.catalog, now: asOf };
      if (watermark === undefined || (evalLive(entry.plan.root, ctx) === true) !== stored) mismatched.push({ id: rec.id, entry });
      else rec.due[entry.slot] = nextLook(entry.plan.root, ctx, stored);
    }
    model.heap.push(earliestDue(rec), rec.id);
  }
  return { mismatched, orphans };
}

/** The rest of start-up, in the first step (after its tick has walked every due change): see loadModel. */
export function finishCatchUp(stage: Stage, catchUp: CatchUp): void {
  for (const { id, entry } of catchUp.mismatched) {
    const rec = stage.mutable(id);
    if (rec) evaluateAt(stage, rec, entry, stage.now);
  }
  for (const { id, entry } of catchUp.orphans) stage.exitOrphan(entry, id);
}

