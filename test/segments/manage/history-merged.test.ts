import { describe, expect, it } from 'vitest';
import { createSegment } from '../../../src/segments/manage/crud.js';
import { segmentHistory } from '../../../src/segments/manage/history.js';
import { anon, at, resolvingStore, set, u } from '../../identity/sets.js';

/*
 * Trial 8, D12: docs/identity.md says a merged customer's entries recorded before the merge stay under
 * its own id; `segments history vip --customer anon-m1` (the absorbed id) showed only the survivor's.
 * A customer's history is the person's: its own entries and those of every customer merged into it,
 * each under the id it was recorded for, asked by any identifier of either.
 */
const world = resolvingStore();

describe('segments history --customer after a merge', () => {
  it('shows the absorbed customer\'s earlier entries under its own id, asked by either identifier', async () => {
    const [visitor] = await world.resolve(set(1, anon('anon-m1')));
    const [known] = await world.resolve(set(2, u('u07')));
    const [other] = await world.resolve(set(3, u('u08')));
    await createSegment(world.store, { name: 'vip', definition: { query: 'orders_count >= 0' } });
    const segment = (await world.store.one<{ id: string }>("SELECT segment_id AS id FROM segments WHERE name = 'vip'"))!.id;
    const entry = (customer: string, minute: number) =>
      world.store.run("INSERT INTO segment_history (segment_id, customer_id, change, changed_at, recorded_at) VALUES ($1, $2, 'entered', $3, $3)", [segment, customer, at(minute)]);
    await entry(known!, 10);
    await entry(visitor!, 12);
    await entry(other!, 13);
    const [survivor] = await world.resolve(set(20, u('u07'), anon('anon-m1')));
    expect(survivor).toBe(known);

    for (const asked of ['anon-m1', 'u07', known!, visitor!]) {
      const h = await segmentHistory(world.store, 'vip', { customer: asked });
      expect(h.changes.map((c) => [c.customer_id, c.changed_at]), asked).toEqual([
        [visitor, at(12)],
        [known, at(10)],
      ]);
    }
    expect((await segmentHistory(world.store, 'vip', { customer: 'u08' })).changes.map((c) => c.customer_id)).toEqual([other]);
  });
});
