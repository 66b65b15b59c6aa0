import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSegment } from '../../../src/segments/manage/crud.js';
import { segmentHistory, segmentMembers } from '../../../src/segments/manage/history.js';
import { refreshSegments } from '../../../src/segments/manage/refresh.js';
import type { Store } from '../../../src/store/db.js';
import { behaviour, profiles } from '../../fixtures/segments/conformance-worlds.js';
import { loadWorld } from '../../fixtures/segments/world.js';
import { tempStore } from '../../helpers/store.js';

let store: Store;
let cleanup: () => void;
const asOf = new Date('2024-06-30T00:00:00Z');

beforeEach(async () => {
  const t = await tempStore();
  store = t.store;
  cleanup = t.cleanup;
});
afterEach(() => cleanup());

const ids = async (name: string) => (await segmentMembers(store, name)).members.map((m) => m.customer_id);
const historyRows = () => store.all<{ customer_id: string; change: string; changed_at: Date }>(
  'SELECT customer_id, change, changed_at FROM segment_history ORDER BY recorded_at, customer_id',
);

describe('bulk refresh', () => {
  it('writes members and entries, then records only what changed', async () => {
    await loadWorld(store, profiles);
    await createSegment(store, { name: 'big', definition: { query: 'total_spent > 1000' } });
    const [first] = await refreshSegments(store, { asOf });
    expect(first).toMatchObject({ name: 'big', entered: 2, exited: 0, members: 2 });
    expect(await ids('big')).toEqual(['a', 'e']);

    // nothing changed: no history rows
    const [same] = await refreshSegments(store, { asOf: new Date('2024-07-01T00:00:00Z') });
    expect(same).toMatchObject({ entered: 0, exited: 0, members: 2 });
    expect(await historyRows()).toHaveLength(2);

    // b starts spending, e is refunded: one entry and one exit, dated at the as_of of the refresh
    await store.run("UPDATE customer_metrics SET total_spent = 2000 WHERE customer_id = 'b'");
    await store.run("UPDATE customer_metrics SET total_spent = 10 WHERE customer_id = 'e'");
    const later = new Date('2024-07-02T00:00:00Z');
    const [changed] = await refreshSegments(store, { asOf: later, name: 'big' });
    expect(changed).toMatchObject({ entered: 1, exited: 1, members: 2 });
    expect(await ids('big')).toEqual(['a', 'b']);
    const rows = await historyRows();
    expect(rows.slice(2)).toEqual([
      { customer_id: 'b', change: 'entered', changed_at: later },
      { customer_id: 'e', change: 'exited', changed_at: later },
    ]);
    const h = await segmentHistory(store, 'big');
    expect(h.runs.map((r) => [r.entered, r.exited])).toEqual([
      [1, 1],
      [2, 0],
    ]);
    const mine = await segmentHistory(store, 'big', { customer: 'e' });
    expect(mine.changes.map((c) => c.change)).toEqual(['exited', 'entered']);
  });

  it('records exits caused by time alone (a window sliding past the events)', async () => {
    await loadWorld(store, behaviour);
    await createSegment(store, { name: 'recent buyers', definition: { query: 'performed "Order Completed" within 7d' } });
    await refreshSegments(store, { asOf });
    expect(await ids('recent buyers')).toEqual(['p1', 'p2', 'p3']);
    // a week later p1's and p3's orders are out of the window; p2's order of 2024-07-05 keeps it in
    const [r] = await refreshSegments(store, { asOf: new Date('2024-07-07T00:00:00Z') });
    expect(r).toMatchObject({ entered: 0, exited: 2 });
    expect(await ids('recent buyers')).toEqual(['p2']);
  });

  it('refreshes segments in dependency order, and a named one together with what it refers to', async () => {
    await loadWorld(store, profiles);
    // names sort against the dependency order: alphabetically 0-top would come first
    await createSegment(store, { name: 'a-base', definition: { query: 'total_spent > 1000' } });
    await createSegment(store, { name: 'm-mid', definition: { query: 'in segment "a-base" and country = "DE"' } });
    await createSegment(store, { name: '0-top', definition: { query: 'in segment "m-mid" and orders_count >= 10' } });
    await createSegment(store, { name: 'unrelated', definition: { query: 'orders_count = 0' } });
    const all = await refreshSegments(store, { asOf });
    const order = all.map((r) => r.name);
    expect(order.indexOf('a-base')).toBeLessThan(order.indexOf('m-mid'));
    expect(order.indexOf('m-mid')).toBeLessThan(order.indexOf('0-top'));
    expect(await ids('0-top')).toEqual(['e']);
    const one = await refreshSegments(store, { asOf, name: '0-top' });
    expect(one.map((r) => r.name)).toEqual(['a-base', 'm-mid', '0-top']);
  });
});
