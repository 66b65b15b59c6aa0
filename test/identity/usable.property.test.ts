import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseIdentifier, type Identifier } from '../../src/domain/identifiers.js';
import { planResolution, usableIdentifiers, type IdentifierSet, type KnownState } from '../../src/ingest/identity/plan.js';

/** The rule written out: each normalised, junk dropped, the first of equal (kind, value) kept, order kept. */
function reference(raw: readonly Identifier[]): Identifier[] {
  const out: Identifier[] = [];
  for (const r of raw) {
    const id = normaliseIdentifier(r.kind, r.value);
    if (id && !out.some((o) => o.kind === id.kind && o.value === id.value)) out.push(id);
  }
  return out;
}

const identifier = fc.record({
  kind: fc.constantFrom('user_id', 'anonymous_id', 'email'),
  value: fc.constantFrom('u1', ' u1 ', 'u2', 'A@B.io', 'a@b.io', 'null', '0000', '', 'anon-7', 'anon-8', 'not an email'),
});
const sets = fc.array(
  fc.record({ identifiers: fc.array(identifier, { maxLength: 4 }), at: fc.integer({ min: 0, max: 5 }).map((d) => new Date(Date.UTC(2024, 0, 1 + d))) }),
  { maxLength: 12 },
);
// The store already holds u1 (with its anonymous id) as one customer and anon-8 as another.
const known: KnownState = {
  identities: new Map([
    ['user_id\u0000u1', 'c1'],
    ['anonymous_id\u0000anon-7', 'c1'],
    ['anonymous_id\u0000anon-8', 'c2'],
  ]),
  customers: new Map([
    ['c1', { id: 'c1', createdAt: new Date(Date.UTC(2023, 0, 1)), userId: 'u1' }],
    ['c2', { id: 'c2', createdAt: new Date(Date.UTC(2023, 5, 1)) }],
  ]),
  takenIds: new Set(['c1', 'c2']),
};

describe('usable identifiers', () => {
  it('follow the written-out rule', () => {
    fc.assert(
      fc.property(fc.array(identifier, { maxLength: 6 }), (raw) => {
        expect(usableIdentifiers(raw)).toEqual(reference(raw));
      }),
      { numRuns: 500, seed: 15 },
    );
  });

  it('given to the plan by its caller (each set normalised once) give the plan it makes itself', () => {
    fc.assert(
      fc.property(sets, (batch: IdentifierSet[]) => {
        const usable = batch.map((s) => usableIdentifiers(s.identifiers));
        expect(planResolution(batch, known, usable)).toEqual(planResolution(batch, known));
      }),
      { numRuns: 300, seed: 15 },
    );
  });
});
