import { isMember } from '../state/customer.js';
import type { EngineModel } from './model.js';

export interface SegmentStatus {
  readonly segmentId: string;
  readonly name: string;
  readonly members: number;
  /** events held for this segment's streams, over all customers (shared streams count for each) */
  readonly heldEvents: number;
  /** evaluations of this definition for one customer since the engine started */
  readonly evaluations: number;
}

export interface EngineStatus {
  readonly running: boolean;
  readonly startedAt: Date | null;
  readonly customers: number;
  readonly segments: SegmentStatus[];
  readonly refused: { segmentId: string; name: string; reason: string }[];
  /** every change up to this instant is recorded */
  readonly watermark: Date | null;
  readonly nextChangeAt: Date | null;
  /** the last step: its instant, how long it took, the changes it recorded, and (a live commit) the customers it evaluated while the commit's events were written */
  readonly lastStep: { at: Date | null; millis: number; changes: number; early: number };
  readonly memory: {
    /** the engine's own estimate of the state it holds, in bytes */
    readonly stateBytes: number;
    readonly bytesPerCustomer: number;
    readonly heldEvents: number;
    /** the whole process (V8 heap used and resident set), in bytes */
    readonly heapUsed: number;
    readonly rss: number;
  };
}

// Rough sizes of V8 objects on a 64-bit machine: enough to see what grows, not an exact count.
const RECORD_BYTES = 160;
const STREAM_BYTES = 200;
const PER_SLOT_BYTES = 16;

/** What the engine holds and how it is doing, for `segmint status` and GET /v1/realtime/status. */
export function engineStatus(model: EngineModel, run: { running: boolean; startedAt: number; lastStep: { at: number; millis: number; changes: number; early: number } }): EngineStatus {
  const entries = [...model.plans.values()];
  const heldBySlot = new Map<number, number>();
  let bytes = 0;
  let held = 0;
  let members = entries.map(() => 0);
  for (const rec of model.customers.values()) {
    bytes += RECORD_BYTES + PER_SLOT_BYTES * rec.since.length + JSON.stringify(rec.profile.traits).length * 2;
    for (const [slot, s] of rec.streams.entries()) {
      if (!s) continue;
      bytes += STREAM_BYTES + 8 * s.t.length * (1 + s.v.length);
      held += s.t.length;
      heldBySlot.set(slot, (heldBySlot.get(slot) ?? 0) + s.t.length);
    }
    members = members.map((n, i) => n + (isMember(rec, entries[i]!.slot) ? 1 : 0));
  }
  const mem = process.memoryUsage();
  return {
    running: run.running,
    startedAt: run.startedAt ? new Date(run.startedAt) : null,
    customers: model.customers.size,
    segments: entries
      .map((e, i) => ({
        segmentId: e.plan.segmentId,
        name: e.plan.name,
        members: members[i]!,
        heldEvents: e.plan.streams.reduce((n, s) => n + (heldBySlot.get(s.slot) ?? 0), 0),
        evaluations: e.evaluations,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    refused: [...model.refused.values()],
    watermark: Number.isFinite(model.watermark) ? new Date(model.watermark) : null,
    nextChangeAt: Number.isFinite(model.heap.peek()) ? new Date(model.heap.peek()) : null,
    lastStep: { at: run.lastStep.at ? new Date(run.lastStep.at) : null, millis: Math.round(run.lastStep.millis), changes: run.lastStep.changes, early: run.lastStep.early },
    memory: {
      stateBytes: bytes,
      bytesPerCustomer: model.customers.size > 0 ? Math.round(bytes / model.customers.size) : 0,
      heldEvents: held,
      heapUsed: mem.heapUsed,
      rss: mem.rss,
    },
  };
}
