import type { Catalog } from '../../segments/catalog/catalog.js';
import { evalCondition } from '../../segments/evaluator/evaluate.js';
import { jsonAs, jsonAt } from '../../segments/evaluator/values.js';
import { evalLive } from '../evaluate/live-evaluate.js';
import { nextLook } from '../evaluate/next-change.js';
import type { StreamDef } from '../plan/streams.js';
import { earliestDue, type CustomerRecord } from '../state/customer.js';
import { addEvent, mergeStreams, prune } from '../state/stream-state.js';
import type { PlanEntry } from './model.js';
import type { Stage } from './stage.js';

/**
 * The operations of an engine step, on a Stage. Every membership change is recorded at the instant
 * it came true: a time-based one at the instant the look-ahead found (evaluated again then, so the
 * record is exact to the millisecond), a data-caused one at the step's clock.
 */

function member(stage: Stage, rec: CustomerRecord, entry: PlanEntry, at: number): boolean {
  return evalLive(entry.plan.root, { rec, catalog: stage.model.catalog, now: at }) === true;
}

/** Evaluates one definition for one (staged) customer at `at`, records a change, and plans the next look. */
export function evaluateAt(stage: Stage, rec: CustomerRecord, entry: PlanEntry, at: number): void {
  entry.evaluations++;
  const m = member(stage, rec, entry, at);
  stage.setMember(rec, entry, m, at);
  rec.due[entry.slot] = nextLook(entry.plan.root, { rec, catalog: stage.model.catalog, now: at }, m);
}

/**
 * Applies every time-based change due by the step's clock, in order and each at its own instant:
 * a customer may flip several times in one tick after a pause (a restart, a busy machine).
 * `pause` (asked before each customer) stops it early, for a caller that gives the event loop a turn
 * (applyEarly's slices) and calls it again on the same stage: returns whether every due change is applied.
 */
export function tick(stage: Stage, pause?: () => boolean): boolean {
  const heap = stage.model.heap;
  const now = stage.now;
  while (heap.peek() <= now) {
    if (pause?.()) return false;
    const top = heap.pop()!;
    stage.popped.push(top);
    const seen = stage.get(top.id);
    if (!seen || earliestDue(seen) > now) continue;
    const rec = stage.mutable(top.id)!;
    for (const entry of stage.plans.values()) {
      let at = rec.due[entry.slot] ?? Infinity;
      while (at <= now) {
        evaluateAt(stage, rec, entry, at);
        at = rec.due[entry.slot]!;
      }
    }
    pruneRecord(stage, rec);
  }
  return true;
}

/** Evaluates the definitions that read any of `changed` (or all, with '*') for a staged customer at the step's clock. */
export function reevaluate(stage: Stage, rec: CustomerRecord, changed: ReadonlySet<string>): void {
  const all = changed.has('*');
  for (const entry of stage.plans.values()) {
    if (all || readsAny(entry.keys, changed)) evaluateAt(stage, rec, entry, stage.now);
  }
}

/** Whether a definition reading `keys` reads any of `changed` (no array made: this runs per customer and segment). */
function readsAny(keys: ReadonlySet<string>, changed: ReadonlySet<string>): boolean {
  for (const k of changed) if (keys.has(k)) return true;
  return false;
}

/** A customer who is gone (merged into another): leaves every segment now. */
export function removeCustomer(stage: Stage, id: string): CustomerRecord | undefined {
  const rec = stage.mutable(id);
  if (!rec) return undefined;
  for (const entry of stage.plans.values()) stage.setMember(rec, entry, false, stage.now);
  stage.remove(id);
  return rec;
}

/**
 * A customer gone from the store with no survivor was erased (docs/privacy.md): forgotten at once,
 * without the exits removeCustomer records, which would write their id back into the segment history
 * and send webhooks and workflow triggers about someone who is no longer held.
 */
export function forgetCustomer(stage: Stage, id: string): void {
  if (stage.get(id)) stage.remove(id);
}

/**
 * Two customers become one person: the absorbed one's memberships become the survivor's with no exit
 * or entry (moveMember), each since the earlier time of the two, as the store moves its segment_members
 * rows, so a webhook or a workflow triggered on entering is not triggered again for the same person
 * (docs/identity.md). Its event streams join the survivor's (the store moved its events to the survivor
 * in the same transaction). The caller evaluates the survivor on the combined data next: a change the
 * merge makes (the combined data no longer qualify) is recorded for the survivor then, as a bulk refresh
 * after the merge records it.
 */
export function mergeCustomer(stage: Stage, absorbedId: string, survivor: CustomerRecord): void {
  stage.rewrite.add(survivor.id);
  const absorbed = stage.mutable(absorbedId);
  if (!absorbed) return;
  for (const entry of stage.plans.values()) stage.moveMember(absorbed, survivor, entry);
  stage.remove(absorbedId);
  for (const def of stage.streams.values()) {
    const theirs = absorbed.streams[def.slot];
    if (!theirs) continue;
    const mine = survivor.streams[def.slot];
    survivor.streams[def.slot] = mine ? mergeStreams(mine, theirs) : theirs;
  }
}

/** Value columns of an event for a stream: only JSON numbers, as aggregates read them (else NaN). */
export function valuesOf(def: StreamDef, properties: unknown): number[] {
  return def.props.map((path) => {
    const v = jsonAs(jsonAt(properties, path), 'number');
    return typeof v === 'number' ? v : NaN;
  });
}

const NO_ONE = { customerId: '', traits: {}, rows: {}, consent: {}, events: [] };

/**
 * Whether an event's properties satisfy a stream's where clause: TRUE only, unknown does not count
 * (the evaluator's `matching`). A where clause reads only the event, never the clock or the customer.
 */
export function matchesWhere(def: StreamDef, properties: unknown, catalog: Catalog): boolean {
  if (!def.where) return true;
  const ctx = { state: NO_ONE, catalog, now: 0, events: [], stack: [], explain: false, properties: properties ?? null };
  return evalCondition(def.where, ctx).value === true;
}

/** Adds one stored event to the (staged) customer's streams; returns whether any stream took it. */
export function addToStreams(stage: Stage, rec: CustomerRecord, defs: readonly StreamDef[], t: number, properties: unknown): boolean {
  let taken = false;
  for (const def of defs) {
    if (!matchesWhere(def, properties, stage.model.catalog)) continue;
    addEvent(stage.stream(rec, def), t, valuesOf(def, properties), stage.keepFrom(def), stage.now);
    taken = true;
  }
  return taken;
}

/** Folds away the events of a staged record no window needs any more. */
export function pruneRecord(stage: Stage, rec: CustomerRecord): void {
  for (const def of stage.streams.values()) {
    const s = rec.streams[def.slot];
    if (!s || s.t.length === 0) continue;
    const keep = stage.keepFrom(def);
    if (s.t[0]! < keep && s.t[0]! <= stage.now) prune(stage.stream(rec, def), keep, stage.now);
  }
}

