import type { Catalog } from '../../segments/catalog/catalog.js';
import { catalogueOf } from '../../segments/manage/catalogue.js';
import type { SegmentAst, Window } from '../../segments/ast/index.js';
import type { Queryable } from '../../store/db.js';
import { storedMembers } from '../../store/queries/realtime/record.js';
import { countStreamEvents } from '../../store/queries/realtime/state.js';
import { listSegmentRecords, markSegmentsCurrent } from '../../store/queries/segments/definitions.js';
import { recordLiveRefusals } from '../../store/queries/segments/live-notes.js';
import { compilePlans, type CompiledPlans, type LivePlan, type SavedDefinition } from '../plan/compile.js';
import { keepFrom, type StreamDef } from '../plan/streams.js';
import { isMember } from '../state/customer.js';
import type { ProfileReads } from '../state/profile.js';
import { loadProfiles, loadStream } from './load.js';
import { profileReads, readKeys, type PlanEntry, type RefusedSegment } from './model.js';
import type { Stage } from './stage.js';
import { evaluateAt } from './steps.js';

/** The most events one definition may have the engine hold in memory; beyond, it is refused for real time. */
export const DEFAULT_MAX_HELD_EVENTS = 2_000_000;

/**
 * Makes the live plans of a step match the saved segments: new and changed definitions are compiled,
 * the event streams they need are loaded, and every customer is evaluated against them at the step's
 * clock (a changed definition keeps the members it still has, with their original `since`); a deleted
 * segment is dropped. A definition whose state would exceed the limit is refused with the reason.
 */
export async function reconcileDefinitions(tx: Queryable, stage: Stage, maxHeldEvents: number): Promise<void> {
  const compiled = await compileLive(tx, stage.model.catalog, stage.streams, () => stage.model.allocStreamSlot(), stage.now, maxHeldEvents);
  stage.refused = compiled.refused;

  const before = stage.plans;
  await markDemotedCurrent(tx, stage, compiled.costly);
  const plans = new Map<string, PlanEntry>();
  const fresh: PlanEntry[] = [];
  for (const plan of compiled.plans) {
    const old = before.get(plan.segmentId);
    if (old && old.plan.definitionKey === plan.definitionKey) {
      const entry: PlanEntry = { plan, slot: old.slot, keys: readKeys(plan), members: old.members, evaluations: old.evaluations };
      stage.replaced.set(old, entry);
      plans.set(plan.segmentId, entry);
    } else {
      const entry: PlanEntry = { plan, slot: stage.model.allocPlanSlot(), keys: readKeys(plan), members: 0, evaluations: 0 };
      plans.set(plan.segmentId, entry);
      fresh.push(entry);
      if (old) carryMembers(stage, old, entry);
    }
  }
  await seedStoredMembers(tx, stage, fresh.filter((e) => !before.has(e.plan.segmentId)));
  stage.plans = plans;
  stage.streams = compiled.streams;

  for (const def of compiled.load) await installStream(tx, stage, def);
  const reads = profileReads(compiled.plans, stage.tables);
  if (!covers(stage.reads, reads)) await installProfiles(tx, stage, reads);
  stage.reads = reads;

  if (fresh.length === 0) return;
  for (const id of stage.liveIds()) {
    const rec = stage.mutable(id)!;
    for (const entry of fresh) evaluateAt(stage, rec, entry, stage.now);
  }
}

export interface LiveDefinitions extends Omit<CompiledPlans, 'failed'> {
  readonly refused: Map<string, RefusedSegment>;
  /** the segments refused as too costly, by id → the definition judged (LivePlan.definitionKey) */
  readonly costly: ReadonlyMap<string, string>;
}

/**
 * The saved segments compiled into live plans, minus those refused: a definition that cannot be
 * compiled, or whose state is estimated beyond `maxHeldEvents`. Streams already loaded are reused.
 */
export async function compileLive(
  tx: Queryable,
  catalog: Catalog,
  loaded: ReadonlyMap<string, StreamDef>,
  allocStreamSlot: () => number,
  now: number,
  maxHeldEvents: number,
): Promise<LiveDefinitions> {
  const records = await listSegmentRecords(tx);
  const saved: SavedDefinition[] = records.map((r) => ({ segmentId: r.segment_id, name: r.name, ast: r.definition as SegmentAst }));
  const resolve = catalogueOf(records).resolve;
  // Slots given out while estimating are simply skipped when a refusal makes the set compile again.
  const compile = (defs: readonly SavedDefinition[]): CompiledPlans => compilePlans(defs, resolve, catalog, loaded, allocStreamSlot);
  let compiled = compile(saved);
  const refused = new Map<string, RefusedSegment>(compiled.failed.map((f) => [f.segmentId, { ...f, reason: `not kept live: ${f.reason}` }]));
  const costly = new Map<string, string>();
  for (const plan of compiled.plans) {
    const reason = await costReason(tx, plan, now, maxHeldEvents);
    if (!reason) continue;
    refused.set(plan.segmentId, { segmentId: plan.segmentId, name: plan.name, reason });
    costly.set(plan.segmentId, plan.definitionKey);
  }
  if (refused.size > 0) compiled = compile(saved.filter((d) => !refused.has(d.segmentId)));
  // Kept in the database, so commands without a server do not read a refused segment as live (migration 30).
  await recordLiveRefusals(tx, [...refused.values()], new Date(now));
  return { plans: compiled.plans, streams: compiled.streams, load: compiled.load, refused, costly };
}

/**
 * A segment kept live until now and refused from this step on, its definition unchanged (its events
 * grew past the limit), keeps the rows the engine wrote: they are exact as of the watermark, the instant
 * up to which every change was recorded with them. That is recorded as its last refresh's moment, as a
 * stopping server does (Engine.markCurrent), so readers do not call rows they list "not refreshed yet"
 * (segments/manage/history.ts, membershipMoment). A changed definition's rows are the old one's: left alone.
 */
async function markDemotedCurrent(tx: Queryable, stage: Stage, costly: ReadonlyMap<string, string>): Promise<void> {
  const w = stage.model.watermark;
  if (!Number.isFinite(w)) return;
  const ids = [...costly].filter(([id, key]) => stage.plans.get(id)?.plan.definitionKey === key).map(([id]) => id);
  await markSegmentsCurrent(tx, ids, new Date(w), new Date(stage.now));
}

/**
 * Why a plan is too costly to keep live, or undefined: the events its streams would hold for its own
 * uses, estimated. A stream shared with other definitions is judged on this plan's windows only, so a
 * segment is never refused (nor given a reason) for what another segment asks of the same event.
 */
async function costReason(tx: Queryable, plan: LivePlan, now: number, limit: number): Promise<string | undefined> {
  let total = 0;
  let worst: { def: StreamDef; windows: readonly (Window | null)[]; n: number } | undefined;
  for (const def of plan.streams) {
    const windows = plan.ownWindows.get(def.key) ?? [];
    const keep = keepFrom({ windows }, now);
    if (keep === Infinity) continue;
    const n = await countStreamEvents(tx, def.event, Number.isFinite(keep) ? new Date(keep) : undefined);
    total += n;
    if (!worst || n > worst.n) worst = { def, windows, n };
  }
  if (total <= limit || !worst) return undefined;
  const unbounded = worst.windows.includes(null);
  return (
    `not kept live: it would hold about ${total.toLocaleString('en-US')} events in memory (the limit is ${limit.toLocaleString('en-US')} per segment), ` +
    `most of them ${worst.n.toLocaleString('en-US')} "${worst.def.event}" events` +
    (unbounded ? ' that a sequence without a time window must keep forever; give the sequence a window (e.g. within 30d)' : '; use a shorter window') +
    '. It stays available for bulk refresh (`segmint segments refresh`).'
  );
}

/** A changed definition starts from the old one's members (a member who stays keeps its `since`). */
function carryMembers(stage: Stage, old: PlanEntry, entry: PlanEntry): void {
  for (const id of stage.liveIds()) {
    const rec = stage.mutable(id)!;
    if (isMember(rec, old.slot)) rec.since[entry.slot] = rec.since[old.slot]!;
  }
  entry.members = old.members;
}

/** A new live segment starts from its stored members (none, unless it was refreshed in bulk). */
async function seedStoredMembers(tx: Queryable, stage: Stage, entries: readonly PlanEntry[]): Promise<void> {
  const bySegment = new Map(entries.map((e) => [e.plan.segmentId, e]));
  for (const row of await storedMembers(tx, [...bySegment.keys()])) {
    const entry = bySegment.get(row.segment_id)!;
    const rec = stage.mutable(row.customer_id);
    if (!rec) {
      stage.exitOrphan(entry, row.customer_id);
      continue;
    }
    rec.since[entry.slot] = row.since;
    entry.members++;
  }
}

async function installStream(tx: Queryable, stage: Stage, def: StreamDef): Promise<void> {
  const states = await loadStream(tx, def, stage.now, stage.model.catalog);
  for (const [id, state] of states) {
    const rec = stage.mutable(id);
    if (rec) stage.setStream(rec, def, state);
  }
}

async function installProfiles(tx: Queryable, stage: Stage, reads: ProfileReads): Promise<void> {
  const { live } = await loadProfiles(tx, reads);
  for (const [id, profile] of live) {
    const rec = stage.mutable(id);
    if (rec) rec.profile = profile;
  }
}

function covers(have: ProfileReads, want: ProfileReads): boolean {
  if ([...want.traits.keys()].some((k) => !have.traits.has(k))) return false;
  if (want.consent.some((c) => !have.consent.includes(c))) return false;
  for (const [table, cols] of want.tables) {
    const had = have.tables.get(table);
    if (!had || cols.some((c) => !had.includes(c))) return false;
  }
  return true;
}
