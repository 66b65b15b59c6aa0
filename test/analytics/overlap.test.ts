import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatOverlap } from '../../src/analytics/overlap/format.js';
import { segmentOverlap } from '../../src/analytics/overlap/segmentOverlap.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';

let store: Store;
let cleanup: () => void;
beforeAll(async () => {
  ({ store, cleanup } = await tempStore());
});
afterAll(() => cleanup());

async function save(segments: Record<string, readonly string[]>) {
  await store.run('DELETE FROM segment_members');
  await store.run('DELETE FROM segments');
  const entries = Object.entries(segments);
  const ids = entries.map((_, i) => `seg_${String(i + 1).padStart(2, '0')}`);
  await store.run(
    `INSERT INTO segments SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]), '{}', NULL, NULL, NULL, now(), now(), NULL, NULL`,
    [ids, entries.map(([name]) => name)],
  );
  const pairs = entries.flatMap(([, members], i) => members.map((c) => [ids[i]!, c] as const));
  if (pairs.length) {
    await store.run('INSERT INTO segment_members SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]), now()', [
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    ]);
  }
}

describe('segmentOverlap', () => {
  it('counts a worked example, listing pairs that share nobody', async () => {
    await save({ VIP: ['a', 'b', 'c'], 'At risk': ['b', 'c', 'd'], Empty: [], Solo: ['e'] });
    const rep = await segmentOverlap(store);
    expect(rep.segments.map((s) => [s.name, s.members])).toEqual([
      ['At risk', 3],
      ['Empty', 0],
      ['Solo', 1],
      ['VIP', 3],
    ]);
    expect(rep.pairs).toHaveLength(6);
    expect(rep.pairs[0]).toEqual({
      a: 'At risk',
      b: 'VIP',
      a_members: 3,
      b_members: 3,
      both: 2,
      either: 4,
      jaccard: 0.5,
      share_of_a_in_b: 2 / 3,
      share_of_b_in_a: 2 / 3,
    });
    const empty = rep.pairs.find((p) => p.a === 'Empty' && p.b === 'Solo')!;
    expect(empty).toMatchObject({ both: 0, either: 1, jaccard: 0, share_of_a_in_b: 0 });
    expect(formatOverlap(rep)).toMatch(/At risk\s+VIP\s+3\s+3\s+2\s+50\.0%/);
  });

  it('agrees with set arithmetic on random memberships', async () => {
    const seg = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 7 });
    await fc.assert(
      fc.asyncProperty(fc.array(seg, { minLength: 2, maxLength: 5 }), async (sets) => {
        const named = Object.fromEntries(sets.map((s, i) => [`S${i}`, s]));
        await save(named);
        const rep = await segmentOverlap(store);
        expect(rep.pairs).toHaveLength((sets.length * (sets.length - 1)) / 2);
        for (const p of rep.pairs) {
          const a = new Set(named[p.a]);
          const b = new Set(named[p.b]);
          const both = [...a].filter((x) => b.has(x)).length;
          const either = new Set([...a, ...b]).size;
          expect([p.both, p.either, p.jaccard]).toEqual([both, either, either ? both / either : 0]);
        }
      }),
      { numRuns: 25 },
    );
  });
});
