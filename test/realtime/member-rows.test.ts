import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineModel, type PlanEntry } from '../../src/realtime/engine/model.js';
import { Stage, type Transition } from '../../src/realtime/engine/stage.js';
import type { LivePlan } from '../../src/realtime/plan/compile.js';
import { newRecord } from '../../src/realtime/state/customer.js';
import { defaultCatalog } from '../../src/segments/catalog/catalog.js';

// Stage.memberRows against a plain reading of its rule, written here on its own: per segment and
// customer, the last change by instant (at one instant, the last recorded) says what the row is after
// the step; the first change recorded says whether it was stored before (an exit, or an orphan's exit:
// it was); customers written whole (a merge) take their record's membership, stored or not.
type Row = { segmentId: string; customerId: string; since?: number };

function reference(stage: Stage, transitions: readonly Transition[]): { removals: Row[]; upserts: Row[]; inserts: Row[] } {
  const key = (s: string, c: string) => `${s}|${c}`;
  const storedBefore = new Map<string, boolean>();
  for (const t of transitions) {
    const k = key(t.entry.plan.segmentId, t.customerId);
    if (!storedBefore.has(k)) storedBefore.set(k, t.change === 'exited' || t.orphan === true);
  }
  const last = new Map<string, { row: Row; absent: boolean }>();
  const byInstant = transitions.map((t, i) => ({ t, i })).sort((a, b) => a.t.at - b.t.at || a.i - b.i);
  for (const { t } of byInstant) {
    if (stage.rewrite.has(t.customerId) && !t.orphan) continue;
    const k = key(t.entry.plan.segmentId, t.customerId);
    const row: Row = { segmentId: t.entry.plan.segmentId, customerId: t.customerId, ...(t.change === 'entered' ? { since: t.at } : {}) };
    last.set(k, { row, absent: !storedBefore.get(k) });
  }
  for (const id of stage.rewrite) {
    const rec = stage.get(id);
    for (const e of stage.plans.values()) {
      const member = rec !== undefined && !Number.isNaN(rec.since[e.slot] ?? NaN);
      last.set(key(e.plan.segmentId, id), { row: { segmentId: e.plan.segmentId, customerId: id, ...(member ? { since: rec.since[e.slot]! } : {}) }, absent: false });
    }
  }
  const out = { removals: [] as Row[], upserts: [] as Row[], inserts: [] as Row[] };
  for (const { row, absent } of last.values()) {
    if (row.since === undefined) {
      if (!absent) out.removals.push({ segmentId: row.segmentId, customerId: row.customerId });
    } else (absent ? out.inserts : out.upserts).push(row);
  }
  return out;
}

const sorted = (rows: readonly Row[]) => [...rows].map((r) => ({ ...r })).sort((a, b) => `${a.segmentId}|${a.customerId}`.localeCompare(`${b.segmentId}|${b.customerId}`));

describe('Stage.memberRows', () => {
  const customers = ['a', 'b', 'c', 'd'];
  const op = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), c: fc.constantFrom(...customers), seg: fc.integer({ min: 0, max: 2 }), member: fc.boolean(), at: fc.integer({ min: 0, max: 6 }) }),
    fc.record({ kind: fc.constant('orphan' as const), c: fc.constantFrom('x', 'y'), seg: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ kind: fc.constant('rewrite' as const), c: fc.constantFrom(...customers) }),
    // a segment deleted during the step: its changes stay recorded, a customer written whole gets no row of it
    fc.record({ kind: fc.constant('drop' as const), seg: fc.integer({ min: 0, max: 2 }) }),
  );

  it('says what the reference says, given the engine change order or none, for any changes of a step', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...customers), fc.integer({ min: 0, max: 2 })), { maxLength: 6 }), fc.array(op, { maxLength: 40 }), (before, ops) => {
        const model = new EngineModel(defaultCatalog);
        const entries: PlanEntry[] = [0, 1, 2].map((i) => {
          const plan = { segmentId: `seg_${i}`, name: `s${2 - i}` } as unknown as LivePlan;
          return { plan, slot: model.allocPlanSlot(), keys: new Set<string>(), members: 0, evaluations: 0 };
        });
        for (const e of entries) model.plans.set(e.plan.segmentId, e);
        for (const c of customers) model.customers.set(c, newRecord(c, { customerId: c, traits: {}, rows: {}, consent: {}, events: [] } as never, 3));
        for (const [c, seg] of before) model.customers.get(c)!.since[seg] = 1;
        const stage = new Stage(model, 10);
        for (const o of ops) {
          if (o.kind === 'set') stage.setMember(stage.mutable(o.c)!, entries[o.seg]!, o.member, o.at);
          else if (o.kind === 'orphan') stage.exitOrphan(entries[o.seg]!, o.c);
          else if (o.kind === 'rewrite') stage.rewrite.add(o.c);
          else stage.plans.delete(entries[o.seg]!.plan.segmentId);
        }
        const want = reference(stage, stage.transitions);
        // the engine's order: by instant, then segment name, then customer (a stable sort)
        const engineOrder = [...stage.transitions].sort((a, b) => a.at - b.at || a.entry.plan.name.localeCompare(b.entry.plan.name) || a.customerId.localeCompare(b.customerId));
        for (const got of [stage.memberRows(engineOrder), stage.memberRows()]) {
          expect(sorted(got.removals)).toEqual(sorted(want.removals));
          expect(sorted(got.upserts)).toEqual(sorted(want.upserts));
          expect(sorted(got.inserts)).toEqual(sorted(want.inserts));
        }
      }),
      { numRuns: 500 },
    );
  });
});
