import type { CustomerState } from '../../segments/evaluator/state.js';
import type { MemberRow } from '../../store/queries/realtime/record.js';
import { keepFrom, type StreamDef } from '../plan/streams.js';
import { cloneRecord, earliestDue, fitSlots, isMember, newRecord, type CustomerRecord } from '../state/customer.js';
import { cloneStream, emptyStream, type StreamState } from '../state/stream-state.js';
import type { ProfileReads } from '../state/profile.js';
import type { EngineModel, PlanEntry, RefusedSegment } from './model.js';

/** A membership change of one step, before it is numbered by the database. */
export interface Transition {
  readonly entry: PlanEntry;
  readonly customerId: string;
  readonly change: 'entered' | 'exited';
  readonly at: number;
  /** a stored member the engine has no record of (a customer gone while no server ran) */
  readonly orphan?: boolean;
}

/**
 * The changes of one engine step, made on copies: the committed model stays as it was until the
 * database transaction of the step commits (commit()), and a step that rolls back leaves no trace but
 * the heap entries it took, which rollback() puts back.
 */
export class Stage {
  readonly records = new Map<string, CustomerRecord>();
  readonly removed = new Set<string>();
  readonly transitions: Transition[] = [];
  /** customers whose segment_members rows are written whole (a merge moved rows under them) */
  readonly rewrite = new Set<string>();
  /** entries replaced by a definition change that kept their slot: changes counted on the new one */
  readonly replaced = new Map<PlanEntry, PlanEntry>();
  /** per segment, members a merge made one with another (moveMember): the count drops by these */
  private readonly merged = new Map<PlanEntry, number>();
  /** customers of a live commit evaluated while its events were written (applyEarly) */
  early = 0;
  /** set once the step committed or rolled back: work still running on it (applyEarly) stops */
  closed = false;
  /** heap entries taken by this step */
  readonly popped: { at: number; id: string }[] = [];
  /** the live segments, streams and profile reads after the step (a definition change replaces them) */
  plans: Map<string, PlanEntry>;
  streams: Map<string, StreamDef>;
  reads: ProfileReads;
  refused: Map<string, RefusedSegment>;
  webhookSegments: Set<string>;
  tables: Set<string>;
  private readonly owned = new Set<StreamState>();
  /** keepFrom of each stream at the step's clock, worked out once per step (pruneRecord asks per customer) */
  private readonly keeps = new Map<StreamDef, number>();

  constructor(
    readonly model: EngineModel,
    readonly now: number,
  ) {
    this.plans = new Map(model.plans);
    this.streams = new Map(model.streams);
    this.reads = model.reads;
    this.refused = new Map(model.refused);
    this.webhookSegments = model.webhookSegments;
    this.tables = model.tables;
  }

  /** Every customer the step knows: committed ones not removed, and new ones. */
  *liveIds(): Iterable<string> {
    for (const id of this.model.customers.keys()) if (!this.removed.has(id)) yield id;
    for (const id of this.records.keys()) if (!this.model.customers.has(id)) yield id;
  }

  get(id: string): CustomerRecord | undefined {
    if (this.removed.has(id)) return undefined;
    return this.records.get(id) ?? this.model.customers.get(id);
  }

  /** The step's own copy of a record, to change. */
  mutable(id: string): CustomerRecord | undefined {
    const staged = this.records.get(id);
    if (staged) {
      fitSlots(staged, this.model.planSlots);
      return staged;
    }
    const committed = this.get(id);
    if (!committed) return undefined;
    const copy = cloneRecord(committed, this.model.planSlots);
    this.records.set(id, copy);
    return copy;
  }

  create(id: string, profile: CustomerState): CustomerRecord {
    this.removed.delete(id);
    const rec = newRecord(id, profile, this.model.planSlots);
    this.records.set(id, rec);
    return rec;
  }

  /** The instant before which a stream's events go to its summary, at the step's clock (keepFrom). */
  keepFrom(def: StreamDef): number {
    let keep = this.keeps.get(def);
    if (keep === undefined) this.keeps.set(def, (keep = keepFrom(def, this.now)));
    return keep;
  }

  /** The staged record's state of a stream, copied on first change. */
  stream(rec: CustomerRecord, def: StreamDef): StreamState {
    const s = rec.streams[def.slot];
    if (s && this.owned.has(s)) return s;
    const mine = s ? cloneStream(s) : emptyStream(def.props.length);
    this.owned.add(mine);
    rec.streams[def.slot] = mine;
    return mine;
  }

  /** Records that the (staged) customer entered or left a segment at `at`. */
  setMember(rec: CustomerRecord, entry: PlanEntry, member: boolean, at: number): void {
    if (isMember(rec, entry.slot) === member) return;
    rec.since[entry.slot] = member ? at : NaN;
    this.transitions.push({ entry, customerId: rec.id, change: member ? 'entered' : 'exited', at });
  }

  /** Puts a freshly built stream state (owned by this step) into a staged record. */
  setStream(rec: CustomerRecord, def: StreamDef, state: StreamState): void {
    this.owned.add(state);
    rec.streams[def.slot] = state;
  }

  /**
   * A merge: the absorbed customer's membership becomes the survivor's, with no exit or entry recorded
   * (the person was in the segment all along), since the earlier of the two times, as the store moves
   * the rows (repointAbsorbed). When both were members, the segment counts one member fewer.
   */
  moveMember(from: CustomerRecord, to: CustomerRecord, entry: PlanEntry): void {
    if (!isMember(from, entry.slot)) return;
    const theirs = from.since[entry.slot]!;
    if (isMember(to, entry.slot)) {
      to.since[entry.slot] = Math.min(to.since[entry.slot]!, theirs);
      this.merged.set(entry, (this.merged.get(entry) ?? 0) + 1);
    } else to.since[entry.slot] = theirs;
    from.since[entry.slot] = NaN;
  }

  /** A stored member the engine has no customer for leaves the segment now. */
  exitOrphan(entry: PlanEntry, customerId: string): void {
    this.transitions.push({ entry, customerId, change: 'exited', at: this.now, orphan: true });
  }

  remove(id: string): void {
    this.records.delete(id);
    this.removed.add(id);
  }

  /**
   * segment_members rows to remove, to replace and to insert so the table says what the records say:
   * per segment and customer the last change of the step decides (one step may see an entry and the
   * exit after it). A row whose first change in the step is an entry was not stored before the step
   * (the table holds what the committed records say), so it is a plain insert, with no look-up of the
   * two-column key; rows of a customer written whole (a merge) may or may not be stored: replaced.
   * `ordered` is the step's transitions by instant, those of one instant in the order recorded (the
   * engine passes its change order, a stable sort by instant first); by default they are sorted here.
   */
  memberRows(
    ordered: readonly Transition[] = [...this.transitions].sort((a, b) => a.at - b.at),
  ): { removals: { segmentId: string; customerId: string }[]; upserts: MemberRow[]; inserts: MemberRow[] } {
    // Per segment and customer (two levels of maps: no key string is built per change), whether the
    // row was stored before the step and what it must be after. setMember records only a flip, so the
    // first change recorded (not the earliest instant) says what was stored before the step.
    interface Pair {
      readonly customerId: string;
      readonly absent: boolean;
      since: number | undefined;
      written: boolean;
    }
    const pairs = new Map<string, Map<string, Pair>>();
    const of = (segmentId: string): Map<string, Pair> => {
      let m = pairs.get(segmentId);
      if (!m) pairs.set(segmentId, (m = new Map()));
      return m;
    };
    for (const t of this.transitions) {
      const m = of(t.entry.plan.segmentId);
      if (!m.has(t.customerId)) m.set(t.customerId, { customerId: t.customerId, absent: !(t.change === 'exited' || t.orphan === true), since: undefined, written: false });
    }
    // `ordered`: the same changes by instant, those at one instant in the order recorded (a stable sort).
    for (const t of ordered) {
      if (this.rewrite.has(t.customerId) && !t.orphan) continue;
      const p = pairs.get(t.entry.plan.segmentId)!.get(t.customerId)!;
      p.since = t.change === 'entered' ? t.at : undefined;
      p.written = true;
    }
    for (const id of this.rewrite) {
      const rec = this.get(id);
      for (const e of this.plans.values()) {
        of(e.plan.segmentId).set(id, { customerId: id, absent: false, since: rec && isMember(rec, e.slot) ? rec.since[e.slot]! : undefined, written: true });
      }
    }
    const removals: { segmentId: string; customerId: string }[] = [];
    const upserts: MemberRow[] = [];
    const inserts: MemberRow[] = [];
    for (const [segmentId, m] of pairs) {
      for (const { customerId, absent, since, written } of m.values()) {
        if (!written) continue;
        if (since === undefined) {
          // entered and left within the step: nothing was stored, nothing is
          if (!absent) removals.push({ segmentId, customerId });
        } else (absent ? inserts : upserts).push({ segmentId, customerId, since });
      }
    }
    return { removals, upserts, inserts };
  }

  /** Makes the step's changes the committed state. Runs synchronously right after the database commit. */
  commit(): void {
    this.closed = true;
    const m = this.model;
    const kept = new Set([...this.plans.values()].map((e) => e.slot));
    const dropped = [...m.plans.values()].map((e) => e.slot).filter((slot) => !kept.has(slot));
    // The heap holds an entry at every committed record's earliest due instant; a staged record needs a
    // new one only when that instant moved or this step took the entry (or a dropped slot moved it).
    const unmoved = new Set<string>();
    if (dropped.length === 0) {
      const taken = new Set(this.popped.map((p) => p.id));
      for (const [id, rec] of this.records) {
        const before = taken.has(id) ? undefined : m.customers.get(id);
        if (before && earliestDue(before) === earliestDue(rec)) unmoved.add(id);
      }
    }
    for (const id of this.removed) m.customers.delete(id);
    for (const [id, rec] of this.records) m.customers.set(id, rec);
    // A segment deleted or redefined leaves its old slot: nothing is due there any more.
    if (dropped.length > 0) {
      for (const rec of m.customers.values()) {
        for (const slot of dropped) {
          if (slot < rec.due.length) rec.due[slot] = Infinity;
          if (slot < rec.since.length) rec.since[slot] = NaN;
        }
      }
    }
    for (const [id, rec] of this.records) if (!unmoved.has(id)) m.heap.push(earliestDue(rec), id);
    for (const t of this.transitions) {
      if (t.orphan) continue;
      const entry = this.replaced.get(t.entry) ?? t.entry;
      entry.members += t.change === 'entered' ? 1 : -1;
    }
    for (const [e, n] of this.merged) (this.replaced.get(e) ?? e).members -= n;
    m.plans = this.plans;
    m.streams = this.streams;
    m.reads = this.reads;
    m.refused = this.refused;
    m.webhookSegments = this.webhookSegments;
    m.tables = this.tables;
    m.watermark = Math.max(m.watermark, this.now);
    if (m.heap.size > 2 * m.customers.size + 1024) {
      m.heap.rebuild([...m.customers.values()].map((r) => ({ at: earliestDue(r), id: r.id })));
    }
  }

  /** Gives back the heap entries of a step that did not commit. */
  rollback(): void {
    this.closed = true;
    for (const p of this.popped) this.model.heap.push(p.at, p.id);
  }
}
