import { describe, expect, it } from 'vitest';
import { historyNumbers } from '../../../src/store/queries/realtime/history-numbers.js';
import { readWatermark, writeMembership, type TransitionRow } from '../../../src/store/queries/realtime/record.js';
import { storePerTest } from '../../helpers/store.js';

const store = storePerTest();
const T0 = Date.UTC(2026, 0, 1);
const transition = (customerId: string, change: 'entered' | 'exited', at: number): TransitionRow => ({ segmentId: 'seg_a', customerId, change, at });
const write = (transitions: TransitionRow[], members: { removals?: { segmentId: string; customerId: string }[]; upserts?: { segmentId: string; customerId: string; since: number }[] }, watermarkStored: boolean, until = T0) => ({
  transitions,
  removals: members.removals ?? [],
  upserts: members.upserts ?? [],
  recordedAt: new Date(until),
  appliedUntil: new Date(until),
  watermarkStored,
});

describe('writeMembership', () => {
  it('numbers changes in the order given, and keeps segment_members and the watermark exact across steps', async () => {
    const s = await store();
    // A customer who enters, leaves and enters again in one step: alike but for the instant.
    const first = [transition('c1', 'entered', T0), transition('c2', 'entered', T0 + 1), transition('c1', 'exited', T0 + 2), transition('c1', 'entered', T0 + 3)];
    const seqs = await s.transaction((tx) =>
      writeMembership(tx, write(first, { upserts: [{ segmentId: 'seg_a', customerId: 'c1', since: T0 + 3 }, { segmentId: 'seg_a', customerId: 'c2', since: T0 + 1 }] }, false, T0 + 3), new Set(), historyNumbers(s)),
    );
    expect(seqs).toHaveLength(4);
    expect(seqs.every((x, i) => i === 0 || seqs[i - 1]! < x)).toBe(true);
    const history = await s.all<{ customer_id: string; change: string; at: number; seq: number }>(
      'SELECT customer_id, change, epoch_ms(changed_at) AS at, seq FROM segment_history ORDER BY seq',
    );
    expect(history.map((h) => [h.customer_id, h.change, h.at - T0, h.seq])).toEqual(first.map((t, i) => [t.customerId, t.change, t.at - T0, seqs[i]]));
    expect(await readWatermark(s)).toBe(T0 + 3);

    // The next step: c2 leaves, c1's since moves, c3 enters; the watermark row now exists.
    await s.transaction((tx) =>
      writeMembership(
        tx,
        write([transition('c2', 'exited', T0 + 10)], {
          removals: [{ segmentId: 'seg_a', customerId: 'c2' }],
          upserts: [{ segmentId: 'seg_a', customerId: 'c1', since: T0 + 5 }, { segmentId: 'seg_a', customerId: 'c3', since: T0 + 9 }],
        }, true, T0 + 10),
        new Set(),
        historyNumbers(s),
      ),
    );
    const members = await s.all<{ customer_id: string; since: number }>('SELECT customer_id, epoch_ms(since) AS since FROM segment_members ORDER BY customer_id');
    expect(members.map((m) => [m.customer_id, m.since - T0])).toEqual([['c1', 5], ['c3', 9]]);
    expect(await readWatermark(s)).toBe(T0 + 10);
    const last = await s.one<{ seq: number }>("SELECT seq FROM segment_history WHERE change = 'exited' AND customer_id = 'c2'");
    expect(last!.seq).toBeGreaterThan(Math.max(...seqs));
  });

  // Entries the engine saw are inserted plainly; removals and replacements are deleted first, through the
  // customer index (64 customers per statement) or by one scan joined with the pairs: both plans, and the
  // choice by the table's size, must leave the same rows.
  it.each([['index'], ['scan'], [undefined]] as const)('leaves segment_members exactly as the removals, replacements and inserts say, for few or many customers (plan %s)', async (plan) => {
    const s = await store();
    const ids = Array.from({ length: 1200 }, (_, i) => `c${String(i).padStart(4, '0')}`);
    const row = (segmentId: string, customerId: string, since: number) => ({ segmentId, customerId, since });
    const step = (members: { removals?: { segmentId: string; customerId: string }[]; upserts?: ReturnType<typeof row>[]; inserts?: ReturnType<typeof row>[] }, until: number) =>
      s.transaction((tx) => writeMembership(tx, { ...write([], members, true, until), inserts: members.inserts ?? [] }, new Set(), historyNumbers(s), plan));
    await step({ inserts: ids.flatMap((id, i) => [row('seg_a', id, T0 + i), row('seg_b', id, T0)]) }, T0);
    // few: one removal, one replacement (seg_b's row of c001 must stay)
    await step({ removals: [{ segmentId: 'seg_a', customerId: 'c0001' }], upserts: [row('seg_a', 'c0002', T0 + 500)], inserts: [row('seg_c', 'c0001', T0 + 7)] }, T0 + 1);
    // more than 64: 100 removals and 70 replacements across customers (look-ups 64 customers at a time)
    await step({ removals: ids.slice(10, 110).map((customerId) => ({ segmentId: 'seg_b', customerId })), upserts: ids.slice(40, 110).map((id) => row('seg_a', id, T0 + 900)) }, T0 + 2);
    // very many: seg_b leaves for customers 150 onwards
    await step({ removals: ids.slice(150).map((customerId) => ({ segmentId: 'seg_b', customerId })) }, T0 + 3);
    const want = new Map<string, number>();
    for (const [i, id] of ids.entries()) {
      if (id !== 'c0001') want.set(`seg_a ${id}`, id === 'c0002' ? 500 : i >= 40 && i < 110 ? 900 : i);
      if (i < 10 || (i >= 110 && i < 150)) want.set(`seg_b ${id}`, 0);
    }
    want.set('seg_c c0001', 7);
    const got = await s.all<{ k: string; since: number }>("SELECT segment_id || ' ' || customer_id AS k, epoch_ms(since) AS since FROM segment_members");
    expect(new Map(got.map((r) => [r.k, r.since - T0]))).toEqual(want);
  });

  // New members go through DuckDB's appender, which must join the step's transaction: a step that rolls
  // back leaves no row behind. An instant finer than a millisecond takes the SQL path.
  it('leaves nothing of a step that rolls back, and stores instants finer than a millisecond exactly', async () => {
    const s = await store();
    const row = (customerId: string, since: number) => ({ segmentId: 'seg_a', customerId, since });
    await expect(
      s.transaction(async (tx) => {
        await writeMembership(tx, { ...write([transition('c1', 'entered', T0), transition('c2', 'entered', T0 + 1)], {}, false), inserts: [row('c1', T0), row('c2', T0 + 1)] }, new Set(), historyNumbers(s));
        throw new Error('step failed');
      }),
    ).rejects.toThrow(/step failed/);
    expect(await s.one<{ n: number }>('SELECT (SELECT count(*) FROM segment_history) + (SELECT count(*) FROM segment_members) AS n')).toEqual({ n: 0 });
    const seqs = await s.transaction((tx) =>
      writeMembership(tx, { ...write([transition('c1', 'entered', T0 + 0.25), transition('c3', 'entered', T0 + 2)], {}, false), inserts: [row('c1', T0 + 0.25), row('c3', T0 + 2)] }, new Set(), historyNumbers(s)),
    );
    const history = await s.all<{ seq: number; customer_id: string; at: number }>('SELECT seq, customer_id, epoch_us(changed_at) AS at FROM segment_history ORDER BY seq');
    expect(history).toEqual([{ seq: seqs[0], customer_id: 'c1', at: T0 * 1000 + 250 }, { seq: seqs[1], customer_id: 'c3', at: (T0 + 2) * 1000 }]);
    const members = await s.all<{ customer_id: string; since: number }>('SELECT customer_id, epoch_us(since) AS since FROM segment_members ORDER BY customer_id');
    expect(members).toEqual([{ customer_id: 'c1', since: T0 * 1000 + 250 }, { customer_id: 'c3', since: (T0 + 2) * 1000 }]);
    // and whole milliseconds again, numbered after them
    const next = await s.transaction((tx) => writeMembership(tx, { ...write([transition('c4', 'entered', T0 + 3)], {}, true), inserts: [row('c4', T0 + 3)] }, new Set(), historyNumbers(s)));
    expect(next[0]).toBeGreaterThan(seqs[1]!);
    expect(await s.one<{ at: number; rec: number }>("SELECT epoch_ms(changed_at) AS at, epoch_ms(recorded_at) AS rec FROM segment_history WHERE customer_id = 'c4'")).toEqual({ at: T0 + 3, rec: T0 });
  });
});
