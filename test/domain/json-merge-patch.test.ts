import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergePatch } from '../../src/domain/json-merge-patch.js';
import { tempStore } from '../helpers/store.js';

/**
 * mergePatch against DuckDB's json_merge_patch (the rule the store applies workflow traits by), on
 * generated documents and patches, and the examples of RFC 7396's Appendix A.
 */
let t: Awaited<ReturnType<typeof tempStore>>;
beforeAll(async () => {
  t = await tempStore();
});
afterAll(() => t.cleanup());

const key = fc.constantFrom('a', 'b', 'c', 'plan', 'stage');
const leaf = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }));
const doc: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.dictionary(key, tie('node'), { maxKeys: 4 })),
})).node;
const patch: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.constant(null), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
})).node;

describe('mergePatch (RFC 7396)', () => {
  it('gives the examples of RFC 7396, Appendix A', () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [['a', 'b'], ['c', 'd'], ['c', 'd']],
      [{ a: 'b' }, ['c'], ['c']],
      [{ a: 'foo' }, null, null],
      [{ a: 'foo' }, 'bar', 'bar'],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, p, result] of cases) expect(mergePatch(target, p)).toEqual(result);
  });

  it('agrees with DuckDB json_merge_patch on generated objects and patches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, doc, { maxKeys: 5 }), fc.dictionary(key, patch, { maxKeys: 5 }), async (target, p) => {
        const row = await t.store.one<{ r: string }>('SELECT json_merge_patch($1::JSON, $2::JSON)::VARCHAR AS r', [JSON.stringify(target), JSON.stringify(p)]);
        expect(mergePatch(target, p)).toEqual(JSON.parse(row!.r));
      }),
      { numRuns: 200 },
    );
  });
});
