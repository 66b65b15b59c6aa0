import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSegment, unparse } from '../../../src/segments/index.js';
import { DAY, GRID, definitionArb, namedSegments } from '../property/arbitraries.js';
import { asOfArb, customerArb, stateOf } from '../property/world.js';

const resolveSegment = (name: string) => namedSegments[name];

describe('changes_at', () => {
  it('membership is constant on [as_of, changes_at) and different at changes_at (1,000 runs)', () => {
    fc.assert(
      fc.property(definitionArb, customerArb('c'), asOfArb, fc.array(fc.integer({ min: 1, max: 120 * DAY }), { maxLength: 20 }), (ast, customer, asOf, offsets) => {
        // "if no new event arrives": the customer's history ends at as_of
        const state = stateOf({ ...customer, events: customer.events.filter((e) => e.t <= asOf) });
        const at = (t: number) => evaluateSegment(ast, state, { asOf: new Date(t), resolveSegment }).member;
        const result = evaluateSegment(ast, state, { asOf: new Date(asOf), resolveSegment });
        const end = result.changesAt ? result.changesAt.getTime() : asOf + 120 * DAY;
        // random instants, and instants on and next to the grid edges the data lives on
        const grid = Array.from({ length: 30 }, (_, k) => Math.ceil(asOf / GRID) * GRID + k * (GRID / 2)).flatMap((t) => [t - 1, t, t + 1]);
        const samples = [asOf, asOf + 1, end - 1, ...offsets.map((o) => asOf + o), ...grid].filter((t) => t >= asOf && t < end);
        for (const t of samples) {
          if (at(t) !== result.member) throw new Error(`${unparse(ast)}: member ${result.member} at as_of but ${!result.member} at ${new Date(t).toISOString()}, before changes_at ${result.changesAt?.toISOString()}`);
        }
        if (result.changesAt) expect(at(end), unparse(ast)).toBe(!result.member);
      }),
      { numRuns: 1000 },
    );
  });
});
