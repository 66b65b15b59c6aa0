import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSegment } from '../../../src/segments/manage/crud.js';
import { previewSegment } from '../../../src/segments/manage/preview.js';
import { refreshSegments } from '../../../src/segments/manage/refresh.js';
import { segmentWarnings, jaccardIndex } from '../../../src/segments/manage/warnings.js';
import type { Store } from '../../../src/store/db.js';
import { profiles } from '../../fixtures/segments/conformance-worlds.js';
import { loadWorld } from '../../fixtures/segments/world.js';
import { tempStore } from '../../helpers/store.js';

let store: Store;
let cleanup: () => void;
const asOf = new Date('2024-06-30T00:00:00Z');

beforeAll(async () => {
  const t = await tempStore();
  store = t.store;
  cleanup = t.cleanup;
  await loadWorld(store, profiles);
});
afterAll(() => cleanup());

describe('preview', () => {
  it('counts without saving: count, share of the base, a sample with traits, warnings', async () => {
    const p = await previewSegment(store, { query: 'country = "DE"' }, { asOf });
    expect(p.count).toBe(2);
    expect(p.base).toBe(5);
    expect(p.share).toBeCloseTo(0.4);
    expect(p.sample.map((m) => m.customerId)).toEqual(['a', 'e']);
    expect(p.sample[0]!.traits).toMatchObject({ email: 'ann@example.com', country: 'DE' });
    expect(p.sample[0]!.totalSpent).toBe(1200);
    expect(p.warnings.map((w) => w.code)).toEqual(['too_small']);
    const saved = await store.all('SELECT * FROM segments');
    expect(saved).toEqual([]);
  });

  it('says so when nobody matches, and respects a smaller minimum size', async () => {
    const none = await previewSegment(store, { query: 'orders_count > 100' }, { asOf });
    expect(none.count).toBe(0);
    expect(none.warnings.map((w) => w.code)).toEqual(['empty']);
    const ok = await previewSegment(store, { query: 'orders_count >= 0' }, { asOf, warnings: { minSize: 5, minShare: 0.5 } });
    expect(ok.warnings).toEqual([]);
  });

  it('warns about a near-duplicate of a saved segment, by its refreshed members', async () => {
    await createSegment(store, { name: 'big', definition: { query: 'total_spent > 1000' } });
    await refreshSegments(store, { asOf });
    const dup = await previewSegment(store, { query: 'orders_count >= 5' }, { asOf, warnings: { minSize: 1, minShare: 0 } });
    expect(dup.warnings).toEqual([expect.objectContaining({ code: 'near_duplicate', segment: 'big', jaccard: 1 })]);
    // editing "big" itself is not a duplicate of itself
    const self = await previewSegment(store, { query: 'orders_count >= 5' }, { asOf, self: 'big', warnings: { minSize: 1, minShare: 0 } });
    expect(self.warnings).toEqual([]);
    // {a, e} against {a, b, e}: Jaccard 2/3 is below 0.9
    const near = await previewSegment(store, { query: 'orders_count >= 1' }, { asOf, warnings: { minSize: 1, minShare: 0 } });
    expect(near.warnings).toEqual([]);
  });

  it('previews a definition built on saved segments, refusing unknown ones and circles', async () => {
    const on = await previewSegment(store, { query: 'in segment "big" and country = "DE"' }, { asOf });
    expect(on.count).toBe(2);
    await expect(previewSegment(store, { query: 'in segment "nope"' }, { asOf })).rejects.toThrow(/"nope", which is not a saved segment/);
    await expect(previewSegment(store, { query: 'in segment "big"' }, { asOf, self: 'big' })).rejects.toThrow(/circle/);
  });
});

describe('warnings', () => {
  it('uses the larger of the minimum size and the minimum share of the base', () => {
    expect(segmentWarnings(60, 10_000, []).map((w) => w.code)).toEqual(['too_small']); // 1% of 10,000 = 100
    expect(segmentWarnings(100, 10_000, [])).toEqual([]);
    expect(segmentWarnings(49, 1_000, []).map((w) => w.code)).toEqual(['too_small']); // 50 > 1% of 1,000
    expect(segmentWarnings(50, 1_000, [])).toEqual([]);
    expect(segmentWarnings(10, 100, [], { minSize: 10, minShare: 0.05, duplicateJaccard: 0.9 })).toEqual([]);
  });

  it('flags Jaccard at or above the threshold only', () => {
    expect(jaccardIndex(100, 100, 90)).toBeCloseTo(90 / 110);
    // |A| = 100, |B| = 95, all of B inside A: 95/100 = 0.95
    expect(segmentWarnings(100, 100, [{ name: 's', size: 95, shared: 95 }]).map((w) => w.code)).toEqual(['near_duplicate']);
    // exactly 0.9: 90/100
    expect(segmentWarnings(100, 100, [{ name: 's', size: 90, shared: 90 }]).map((w) => w.code)).toEqual(['near_duplicate']);
    expect(segmentWarnings(100, 100, [{ name: 's', size: 89, shared: 89 }])).toEqual([]);
  });
});
