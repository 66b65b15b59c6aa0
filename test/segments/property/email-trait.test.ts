import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseTraitValue } from '../../../src/domain/identifiers.js';
import { compileSegment, evaluateSegment, type SegmentAst } from '../../../src/segments/index.js';
import type { Store } from '../../../src/store/db.js';
import { normalisedTextSql } from '../../../src/store/queries/identifier-traits.js';
import { customerArb, loadWorld, stateOf, type WorldCustomer } from './world.js';
import { tempStore } from '../../helpers/store.js';

/**
 * traits.email is stored as the email identity is, trimmed and lower-cased, by JavaScript (live identify
 * calls) and by SQL (imports, migration 19); a text compared with it is normalised the same way by the
 * compiler and by the evaluator (docs/segment-language.md). Checked here: the two normalisations agree on
 * random text, and SQL, memory and a plain oracle written here agree on who a condition on traits.email
 * selects.
 */

// Every character JavaScript's trim removes, letters of both cases (with accents), and email punctuation.
// Characters whose lower case depends on context (final sigma, dotted capital I) are left out: DuckDB
// maps them one to one (documented at normalisedTextSql).
const SPACES = ['\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
const LETTERS = [...'aAbBzZ09ÄäÖöÉéßÇç', '@', '.', '-', '+', '_'];
const textArb = fc.array(fc.constantFrom(...SPACES, ...LETTERS), { maxLength: 12 }).map((cs) => cs.join(''));

let store: Store;
let held: Awaited<ReturnType<typeof tempStore>>;
beforeAll(async () => {
  // a copy of the once-migrated empty store (tempStore), not a ':memory:' database migrated anew
  held = await tempStore();
  store = held.store;
});
afterAll(() => held.cleanup());

describe('the email trait, normalised alike everywhere', () => {
  it('SQL (imports, the migration) and JavaScript (live identify) normalise any text the same way', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(textArb, { minLength: 1, maxLength: 40 }), async (texts) => {
        const rows = await store.all<{ i: number; v: string }>(
          `SELECT i, ${normalisedTextSql('t')} AS v FROM (SELECT unnest($1::VARCHAR[]) AS t, generate_subscripts($1::VARCHAR[], 1) AS i)`,
          [texts],
        );
        for (const r of rows) expect(r.v, JSON.stringify(texts[r.i - 1])).toBe(normaliseTraitValue('email', texts[r.i - 1]));
      }),
      { numRuns: 100 },
    );
  });

  const stored = ['ann@x.io', 'bob@y.org', 'ann@x.iox', 'zoë@ü.de'];
  const written = fc
    .tuple(fc.constantFrom(...stored, 'nobody@x.io', 'ANN@X.IO'), fc.array(fc.boolean(), { maxLength: 12 }), fc.constantFrom('', ' ', '\t', '\u00a0'), fc.constantFrom('', ' ', '\n'))
    .map(([s, upper, before, after]) => before + [...s].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('') + after);
  const part = fc.tuple(fc.constantFrom('ann', '@x.', '.IO', 'Y.org', 'Zo', ' ann'), fc.boolean()).map(([p, up]) => (up ? p.toUpperCase() : p));
  const email = { kind: 'trait' as const, path: ['email'] };
  const condition: fc.Arbitrary<[SegmentAst, (e: string) => boolean]> = fc.oneof(
    fc.tuple(written, fc.constantFrom('=' as const, '!=' as const)).map(([v, op]) => {
      const n = normaliseTraitValue('email', v);
      return [{ kind: 'compare', target: email, op, value: v }, (e: string) => (op === '=' ? e === n : e !== n)] as [SegmentAst, (e: string) => boolean];
    }),
    fc.tuple(fc.array(written, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([vs, negated]) => {
      const ns = vs.map((v) => normaliseTraitValue('email', v));
      return [{ kind: 'in', target: email, values: vs, negated }, (e: string) => ns.includes(e) !== negated] as [SegmentAst, (e: string) => boolean];
    }),
    fc.tuple(part, fc.constantFrom('contains' as const, 'starts_with' as const)).map(([p, op]) => {
      const l = p.toLowerCase();
      return [{ kind: 'text', target: email, op, value: p }, (e: string) => (op === 'contains' ? e.includes(l) : e.startsWith(l))] as [SegmentAst, (e: string) => boolean];
    }),
  );

  it('SQL, the evaluator and a plain oracle select the same customers by traits.email, however it is written', async () => {
    const asOf = new Date('2024-06-01T00:00:00Z');
    const base = fc.sample(customerArb('x'), { numRuns: stored.length + 1, seed: 7 });
    // As stored: normalised, one customer without an email (missing never matches, not even !=).
    const world: WorldCustomer[] = base.map((c, i) => ({ ...c, id: `e${i}`, merged: false, traits: i < stored.length ? { email: stored[i] } : {} }));
    await loadWorld(store, world);
    await fc.assert(
      fc.asyncProperty(condition, async ([ast, oracle]) => {
        const { sql, parameters } = compileSegment(ast, { asOf });
        const fromSql = (await store.all<{ customer_id: string }>(sql, parameters as never)).map((r) => r.customer_id).sort();
        const inMemory = world.filter((c) => evaluateSegment(ast, stateOf(c), { asOf }).member).map((c) => c.id).sort();
        const expected = world.filter((c) => typeof c.traits.email === 'string' && oracle(c.traits.email)).map((c) => c.id).sort();
        expect(fromSql).toEqual(expected);
        expect(inMemory).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
