import type { Catalog } from '../../segments/catalog/catalog.js';
import type { LivePlan } from '../plan/compile.js';
import type { StreamDef } from '../plan/streams.js';
import type { CustomerRecord } from '../state/customer.js';
import { noReads, traitKey, type ProfileReads } from '../state/profile.js';
import { DueHeap } from './due-heap.js';

/** A live segment: its plan, where its membership lives in the records, and what it reads. */
export interface PlanEntry {
  readonly plan: LivePlan;
  /** index into CustomerRecord.since / .due */
  readonly slot: number;
  /** read keys (`e:` event, `t:` trait path, `f:` table.column, `c:` channel) */
  readonly keys: ReadonlySet<string>;
  /** members now */
  members: number;
  /** evaluations so far (diagnostics: shows that only definitions reading a change are evaluated) */
  evaluations: number;
}

/** A saved segment the engine does not keep live, and why. */
export interface RefusedSegment {
  readonly segmentId: string;
  readonly name: string;
  readonly reason: string;
}

/**
 * The committed in-memory state of the engine. Only a committed step changes it (Stage.commit, run
 * right after the database commit), so it always matches what the database says.
 */
export class EngineModel {
  readonly customers = new Map<string, CustomerRecord>();
  plans = new Map<string, PlanEntry>();
  streams = new Map<string, StreamDef>();
  reads: ProfileReads = noReads;
  refused = new Map<string, RefusedSegment>();
  readonly heap = new DueHeap();
  /** segments with at least one webhook (their changes go to the outbox too) */
  webhookSegments = new Set<string>();
  /** tables and views of the database: a catalog table not created yet is read as empty */
  tables = new Set<string>();
  /** every change up to this instant is recorded (epoch ms); -Infinity before the first step */
  watermark = -Infinity;
  private planSlotCount = 0;
  private streamSlotCount = 0;

  constructor(readonly catalog: Catalog) {}

  /** Size of the per-customer arrays: one past the highest plan slot ever given out. */
  get planSlots(): number {
    return this.planSlotCount;
  }

  allocPlanSlot(): number {
    return this.planSlotCount++;
  }

  allocStreamSlot(): number {
    return this.streamSlotCount++;
  }

  /** Event names some live definition counts. */
  streamEvents(): Set<string> {
    return new Set([...this.streams.values()].map((s) => s.event));
  }

  streamsFor(event: string): StreamDef[] {
    return [...this.streams.values()].filter((s) => s.event === event);
  }
}

/** The read keys of a plan (see PlanEntry.keys). */
export function readKeys(plan: LivePlan): Set<string> {
  const keys = new Set<string>();
  for (const e of plan.reads.events) keys.add(`e:${e}`);
  for (const path of plan.reads.traits.values()) keys.add(traitKey(path));
  for (const f of plan.reads.fields) keys.add(`f:${f}`);
  for (const c of plan.reads.consent) keys.add(`c:${c}`);
  return keys;
}

/** Everything the live plans read of profiles together, from the tables that exist. */
export function profileReads(plans: Iterable<LivePlan>, existing: ReadonlySet<string>): ProfileReads {
  const traits = new Map<string, readonly string[]>();
  const tables = new Map<string, Set<string>>();
  const consent = new Set<string>();
  for (const p of plans) {
    for (const [k, path] of p.reads.traits) traits.set(k, path);
    for (const f of p.reads.fields) {
      const [table, column] = f.split('.') as [string, string];
      if (!existing.has(table)) continue;
      if (!tables.has(table)) tables.set(table, new Set());
      tables.get(table)!.add(column);
    }
    for (const c of p.reads.consent) consent.add(c);
  }
  return { traits, tables: new Map([...tables].map(([t, cols]) => [t, [...cols].sort()])), consent: [...consent].sort() };
}
