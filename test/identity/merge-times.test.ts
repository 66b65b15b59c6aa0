import { describe, expect, it } from 'vitest';
import { resolveIdentifierSets } from '../../src/ingest/identity/resolve.js';
import { tempStore } from '../helpers/store.js';
import { at, u, anon, set, resolvingStore } from './sets.js';

/**
 * What a merge combines keeps the earliest time of both customers (docs/identity.md): the survivor's
 * "since" (created_at: the time of the customer's earliest data), segment memberships, tags and static list entries; and what was sent to the
 * absorbed customer counts for the survivor. The survivor may be the younger customer (it holds the
 * user_id), which is where a merge that keeps the survivor's own time goes wrong.
 */


describe('a merge keeps the earliest of both customers', () => {
  const world = resolvingStore();
  const { resolve } = world;
  const since = async (id: string) => (await world.store.one<{ t: Date }>('SELECT created_at t FROM customers WHERE customer_id = $1', [id]))?.t;

  it('the younger survivor holding the user_id is known since the absorbed customer was', async () => {
    const [cookie] = await resolve(set(10, anon('c1')));
    const [ann] = await resolve(set(50, u('ann')));
    const [joined] = await resolve(set(90, u('ann'), anon('c1')));
    expect(joined).toBe(ann);
    expect(await since(ann!)).toEqual(at(10));
    // The absorbed customer keeps its own row as it was.
    expect(await since(cookie!)).toEqual(at(10));
  });

  it('also for customers created and merged in the same batch, and through chains of merges', async () => {
    const [ann] = await resolve(set(50, u('ann')));
    const r = await resolve(set(20, anon('c1')), set(5, anon('c2')), set(30, anon('c2'), anon('c1')), set(60, u('ann'), anon('c1')));
    // Every set ends in ann, through two merges: c1 into c2 (older), then c2 into ann (holds the user_id).
    expect(new Set(r)).toEqual(new Set([ann]));
    expect((await world.store.one<{ n: number }>('SELECT count(*) n FROM merges WHERE NOT refused'))?.n).toBe(2);
    expect(await since(ann!)).toEqual(at(5));
  });

  it('data older than its customer, arriving late, makes the customer known since then', async () => {
    const [ann] = await resolve(set(50, u('ann')));
    const [late] = await resolve(set(5, u('ann'), anon('old-cookie')));
    expect(late).toBe(ann);
    expect(await since(ann!)).toEqual(at(5));
    await resolve(set(70, u('ann')));
    expect(await since(ann!)).toEqual(at(5));
  });

  it('never moves since later, and a batch gives what the same sets one by one give', async () => {
    const sets = [set(30, u('bob')), set(40, anon('b1')), set(45, u('bob'), anon('b1')), set(10, anon('b2')), set(50, anon('b1'), anon('b2'))];
    const batch = await resolve(...sets);
    const batchSince = await since(batch[4]!);
    const other = await tempStore();
    try {
      let last: string | null | undefined = null;
      for (const s of sets) [last] = await other.store.transaction((tx) => resolveIdentifierSets(tx, [s]));
      const one = await other.store.one<{ t: Date }>('SELECT created_at t FROM customers WHERE customer_id = $1', [last ?? '']);
      expect(last).toBe(batch[4]);
      expect(one?.t).toEqual(batchSince);
    } finally {
      other.cleanup();
    }
    expect(batchSince).toEqual(at(10));
  });

  it('keeps the earliest membership, tag and list entry of both, and moves what was sent', async () => {
    const [cookie] = await resolve(set(10, anon('c1')));
    const [ann] = await resolve(set(50, u('ann')));
    await world.store.run(
      `INSERT INTO segments (segment_id, name, definition, query_text, created_at, updated_at) VALUES ('s1', 'both', '{}', '', $1, $1), ('s2', 'cookie only', '{}', '', $1, $1)`,
      [at(0)],
    );
    await world.store.run(`INSERT INTO segment_members VALUES ('s1', $1, $2), ('s1', $3, $4), ('s2', $1, $5)`, [cookie!, at(11), ann!, at(51), at(12)]);
    await world.store.run(`INSERT INTO customer_tags VALUES ($1, 'vip', $2, 'cookie-tagger'), ($3, 'vip', $4, 'ann-tagger'), ($3, 'new', $4, 'ann-tagger')`, [cookie!, at(13), ann!, at(52)]);
    await world.store.run(`INSERT INTO static_list_members VALUES ('fair', $1, $2, 'import'), ('fair', $3, $4, 'manual')`, [cookie!, at(14), ann!, at(53)]);
    await world.store.run(
      `INSERT INTO workflow_sends (run_id, step_id, workflow_id, workflow_name, version, customer_id, channel, marketing, status, idempotency_key, attempts, created_at, updated_at)
       VALUES ('r1', 'e1', 'w1', 'welcome', 1, $1, 'email', true, 'sent', 'k1', 1, $2, $2)`,
      [cookie!, at(15)],
    );
    await resolve(set(90, u('ann'), anon('c1')));
    expect(await world.store.all('SELECT segment_id, customer_id, since FROM segment_members ORDER BY segment_id')).toEqual([
      { segment_id: 's1', customer_id: ann, since: at(11) },
      { segment_id: 's2', customer_id: ann, since: at(12) },
    ]);
    expect(await world.store.all('SELECT customer_id, tag, added_at, source FROM customer_tags ORDER BY tag')).toEqual([
      { customer_id: ann, tag: 'new', added_at: at(52), source: 'ann-tagger' },
      { customer_id: ann, tag: 'vip', added_at: at(13), source: 'cookie-tagger' },
    ]);
    expect(await world.store.all('SELECT list_name, customer_id, added_at, source FROM static_list_members')).toEqual([
      { list_name: 'fair', customer_id: ann, added_at: at(14), source: 'import' },
    ]);
    expect(await world.store.all('SELECT run_id, customer_id FROM workflow_sends')).toEqual([{ run_id: 'r1', customer_id: ann }]);
  });
});
