import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseIdentifier, type Identifier } from '../../src/domain/identifiers.js';
import { usableIdentifiers } from '../../src/ingest/identity/plan.js';

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
  value: fc.constantFrom('u1', ' u1 ', 'A@B.io', 'a@b.io', 'null', '0000', '', 'anon-7', 'not an email'),
});

describe('usableIdentifiers', () => {
  it('gives the rule on every call, for the same list and for a copy of it (each list is normalised once)', () => {
    fc.assert(
      fc.property(fc.array(identifier, { maxLength: 6 }), (raw) => {
        const expected = reference(raw);
        expect(usableIdentifiers(raw)).toEqual(expected);
        expect(usableIdentifiers(raw)).toBe(usableIdentifiers(raw));
        expect(usableIdentifiers([...raw])).toEqual(expected);
      }),
      { numRuns: 500, seed: 15 },
    );
  });
});
