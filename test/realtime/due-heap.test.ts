import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DueHeap } from '../../src/realtime/engine/due-heap.js';

// The heap against a sorted list: the engine's timer and tick read it in order of instant, and a
// rebuild (when stale entries pile up) must hold the same entries as pushing them one by one.
describe('DueHeap', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('push' as const), at: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant(Infinity)), id: fc.constantFrom('a', 'b', 'c', 'd') }),
    fc.record({ kind: fc.constant('pop' as const) }),
    fc.record({ kind: fc.constant('rebuild' as const) }),
  );

  it('pops entries in order of instant, never-due ones left out, across pushes, pops and rebuilds', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const heap = new DueHeap();
        const model: { at: number; id: string }[] = [];
        for (const o of ops) {
          if (o.kind === 'push') {
            heap.push(o.at, o.id);
            if (Number.isFinite(o.at)) model.push({ at: o.at, id: o.id });
          } else if (o.kind === 'pop') {
            const got = heap.pop();
            model.sort((x, y) => x.at - y.at);
            if (model.length === 0) expect(got).toBeUndefined();
            else {
              expect(got!.at).toBe(model[0]!.at);
              const i = model.findIndex((m) => m.at === got!.at && m.id === got!.id);
              expect(i).toBeGreaterThanOrEqual(0);
              model.splice(i, 1);
            }
          } else {
            const entries = [...model, { at: Infinity, id: 'never' }];
            heap.rebuild(entries);
          }
          expect(heap.size).toBe(model.length);
          expect(heap.peek()).toBe(model.length === 0 ? Infinity : Math.min(...model.map((m) => m.at)));
        }
        const rest: { at: number; id: string }[] = [];
        for (let e = heap.pop(); e; e = heap.pop()) rest.push(e);
        expect(rest.map((e) => e.at)).toEqual(model.map((m) => m.at).sort((x, y) => x - y));
        expect(rest.map((e) => `${e.at} ${e.id}`).sort()).toEqual(model.map((m) => `${m.at} ${m.id}`).sort());
      }),
      { numRuns: 300 },
    );
  });

  it('rebuilt from many entries, pops them all in order of instant', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 500 }), (ats) => {
        const heap = new DueHeap();
        heap.rebuild(ats.map((at, i) => ({ at, id: `c${i}` })));
        const out: number[] = [];
        for (let e = heap.pop(); e; e = heap.pop()) out.push(e.at);
        expect(out).toEqual([...ats].sort((x, y) => x - y));
      }),
      { numRuns: 200 },
    );
  });
});
