import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GROUPS_3, DEFAULT_GROUPS_5, cellNames, groupOf, fmScore } from '../../src/analytics/rfm/groups.js';
import { loadGroupTable } from '../../src/analytics/rfm/loadGroupTable.js';
import { rfmInMemory, type OrderRecord } from '../../src/analytics/rfm/rfmInMemory.js';
import { runRfm } from '../../src/analytics/rfm/rfm.js';
import { rfmMovementReport } from '../../src/analytics/rfm/movement.js';
import { scoreValues } from '../../src/analytics/rfm/scoreValues.js';
import { resolveAsOf } from '../../src/analytics/asOf.js';
import type { Store } from '../../src/store/db.js';
import { rfmRows } from '../../src/store/queries/analytics/rfm.js';
import { tempStore } from '../helpers/store.js';
import { day, insertOrders } from './helpers/orders.js';

let store: Store;
let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  ({ store, dir, cleanup } = await tempStore());
});
afterAll(() => cleanup());

async function reset(orders: readonly OrderRecord[]) {
  await store.run('DELETE FROM orders');
  await store.run('DELETE FROM identities');
  await store.run('DELETE FROM customers');
  await insertOrders(store, orders);
}

const o = (customerId: string, at: string, revenue: number, kind: 'order' | 'refund' = 'order'): OrderRecord => ({
  customerId,
  kind,
  placedAt: day(at),
  revenue,
});

describe('scoreValues', () => {
  it('matches the definition counted pair by pair', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 60 }), fc.constantFrom(3, 5), (xs, bins) => {
        const n = xs.length;
        // mid-rank: w strictly worse values, t equal ones (itself included), score 1 + floor(bins (w + t/2) / n)
        const brute = (better: 'higher' | 'lower') =>
          xs.map((v) => {
            const w = xs.filter((u) => (better === 'higher' ? u < v : u > v)).length;
            const t = xs.filter((u) => u === v).length;
            return Math.min(bins, 1 + Math.floor((bins * (2 * w + t)) / (2 * n)));
          });
        expect(scoreValues(xs, 'higher', bins)).toEqual(brute('higher'));
        expect(scoreValues(xs, 'lower', bins)).toEqual(brute('lower'));
      }),
    );
  });

  it('gives equal values equal scores, scores a tie at its middle and splits distinct values into fifths', () => {
    expect(scoreValues([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'higher', 5)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // all equal, or alone: nobody is better or worse, so the middle score, never the worst
    expect(scoreValues([7, 7, 7], 'higher', 5)).toEqual([3, 3, 3]);
    expect(scoreValues([7], 'lower', 5)).toEqual([3]);
    expect(scoreValues([7, 7], 'higher', 3)).toEqual([2, 2]);
    // the two best share the top two thirds of the ranking: their middle is at 4/6
    expect(scoreValues([10, 1, 1], 'lower', 5)).toEqual([1, 4, 4]);
  });

  it('agrees with scipy.stats.percentileofscore(kind="mean") on a tie-heavy list', () => {
    // Independent reference (scipy 1.17.1):
    //   xs = [3,3,3,3,1,1,2,7,7,7,7,7,9,0,3]
    //   [min(b, 1 + floor(b * percentileofscore(xs, v, kind='mean') / 100)) for v in xs], b = 5 and 3;
    //   lower-is-better on the negated list.
    const xs = [3, 3, 3, 3, 1, 1, 2, 7, 7, 7, 7, 7, 9, 0, 3];
    expect(scoreValues(xs, 'higher', 5)).toEqual([3, 3, 3, 3, 1, 1, 2, 4, 4, 4, 4, 4, 5, 1, 3]);
    expect(scoreValues(xs, 'lower', 5)).toEqual([3, 3, 3, 3, 5, 5, 4, 2, 2, 2, 2, 2, 1, 5, 3]);
    expect(scoreValues(xs, 'higher', 3)).toEqual([2, 2, 2, 2, 1, 1, 1, 3, 3, 3, 3, 3, 3, 1, 2]);
    expect(scoreValues(xs, 'lower', 3)).toEqual([2, 2, 2, 2, 3, 3, 3, 1, 1, 1, 1, 1, 1, 3, 2]);
  });
});

describe('group tables', () => {
  it('the default 5-bin table is the documented map', () => {
    const t = DEFAULT_GROUPS_5;
    const expected: Record<number, string[]> = {
      1: ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', "Can't Lose Them"],
      2: ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', "Can't Lose Them"],
      3: ['About to Sleep', 'About to Sleep', 'Need Attention', 'Loyal Customers', 'Loyal Customers'],
      4: ['Promising', 'Potential Loyalists', 'Potential Loyalists', 'Loyal Customers', 'Loyal Customers'],
      5: ['New Customers', 'Potential Loyalists', 'Potential Loyalists', 'Champions', 'Champions'],
    };
    for (let r = 1; r <= 5; r++) for (let fm = 1; fm <= 5; fm++) expect(groupOf(t, r, fm)).toBe(expected[r]![fm - 1]);
    expect(cellNames(t)).toEqual(Object.values(expected).flat());
    expect(fmScore(5, 4)).toBe(5);
    expect(fmScore(1, 2)).toBe(2);
  });

  it('both default tables pass the validation a custom file gets', () => {
    for (const t of [DEFAULT_GROUPS_5, DEFAULT_GROUPS_3]) {
      const file = join(dir, `groups${t.bins}.json`);
      writeFileSync(file, JSON.stringify(t));
      expect(loadGroupTable(file, t.bins)).toEqual(t);
    }
  });

  it('rejects a table with a gap, an overlap or a bad score, naming the file and place', () => {
    const file = join(dir, 'bad.json');
    const write = (v: unknown) => writeFileSync(file, JSON.stringify(v));
    write({ bins: 3, groups: [{ name: 'All', r: [1, 2, 3], fm: [1, 2] }] });
    expect(() => loadGroupTable(file, 3)).toThrow(/bad\.json: groups: no group covers R 1, FM 3/);
    write({ bins: 3, groups: [{ name: 'A', r: [1, 2, 3], fm: [1, 2, 3] }, { name: 'B', r: [2], fm: [2] }] });
    expect(() => loadGroupTable(file, 3)).toThrow(/groups\.1: R 2, FM 2 is already in group "A"/);
    write({ bins: 3, groups: [{ name: 'A', r: [1, 2, 4], fm: [1, 2, 3] }] });
    expect(() => loadGroupTable(file, 3)).toThrow(/groups\.0\.r: score 4 is outside 1\.\.3/);
    write({ bins: 5, groups: [{ name: 'A', r: [1], fm: [1] }] });
    expect(() => loadGroupTable(file, 3)).toThrow(/pass --bins 5/);
    write({ bins: 3, groups: [{ name: '', r: [1], fm: [1] }] });
    expect(() => loadGroupTable(file, 3)).toThrow(/groups\.0\.name/);
    writeFileSync(file, '{ not json');
    expect(() => loadGroupTable(file, 3)).toThrow(/^The RFM group table .* is not JSON: /);
    expect(() => loadGroupTable(file + '.missing', 3)).toThrow(/^Cannot read the RFM group table \(--groups\) .*: there is no such file/);
  });
});

describe('RFM in SQL', () => {
  it('scores a worked example by hand', async () => {
    // as_of 2024-02-01. a: last order 1 day before, 3 orders, 300 (one refunded 50 → 250)
    await reset([
      o('a', '2024-01-31T10:00:00', 100),
      o('a', '2024-01-20T10:00:00', 100),
      o('a', '2024-01-10T10:00:00', 100),
      o('a', '2024-01-21T10:00:00', -50, 'refund'),
      o('b', '2024-01-25T00:00:00', 40),
      o('c', '2023-12-01T00:00:00', 500),
      o('c', '2023-12-02T00:00:00', 20),
      o('d', '2023-06-01T00:00:00', 10),
      o('e', '2024-01-31T23:59:59', 5),
      o('f', '2024-03-01T00:00:00', 99), // after as_of: not scored
      o('g', '2024-01-05T00:00:00', -30, 'refund'), // only a refund: not scored
    ]);
    const rows = await rfmRows(store, day('2024-02-01'), 5, cellNames(DEFAULT_GROUPS_5));
    const by = Object.fromEntries(rows.map((r) => [r.customer_id, r]));
    expect(Object.keys(by).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    // recency: a 0 (0.58 days), b 7, c 61, d 245, e 0 (1 second). n = 5.
    expect(rows.map((r) => [r.customer_id, r.recency_days, r.frequency, r.monetary])).toEqual([
      ['a', 0, 3, 250],
      ['b', 7, 1, 40],
      ['c', 61, 2, 520],
      ['d', 245, 1, 10],
      ['e', 0, 1, 5],
    ]);
    // score = 1 + floor(5 (2w + t) / 10), w strictly worse, t equal (itself included)
    // R: a w3 t2 → 5; b w2 t1 → 3; c w1 t1 → 2; d w0 t1 → 1; e (tied with a) → 5
    // F: a w4 t1 → 5; b, d, e w0 t3 → 2; c w3 t1 → 4
    // M: 5 < 10 < 40 < 250 < 520 → e 1, d 2, b 3, a 4, c 5
    expect(rows.map((r) => r.score)).toEqual(['554', '323', '245', '122', '521']);
    // a: R5 FM ceil(9/2)=5 → Champions; b: R3 FM3 → Need Attention; c: R2 FM5 → Can't Lose Them;
    // d: R1 FM2 → Hibernating; e: R5 FM2 → Potential Loyalists
    expect(rows.map((r) => r.rfm_group)).toEqual(['Champions', 'Need Attention', "Can't Lose Them", 'Hibernating', 'Potential Loyalists']);
    expect(await resolveAsOf(store, undefined)).toEqual(day('2024-03-02'));
  });

  it('agrees exactly with the in-memory implementation on random customers (5 and 3 bins)', async () => {
    const asOf = day('2024-06-01');
    const start = day('2023-01-01').getTime();
    const orderArb = fc.record({
      customerId: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('').map((c) => 'cus_' + c)),
      kind: fc.constantFrom<'order' | 'refund'>('order', 'order', 'order', 'refund'),
      // whole hours and odd seconds, so floors of days and ties both happen; some after as_of
      placedAt: fc.integer({ min: 0, max: 560 * 24 * 4 }).map((q) => new Date(start + q * 6 * 3_600_000 + (q % 7) * 1000)),
      // ten-thousandths, including exact half cents, so rounding to cents is exercised
      revenue: fc.integer({ min: -20_000, max: 2_000_000 }).map((u) => (u % 3 === 0 ? Math.round(u / 50) * 50 : u) / 10_000),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(orderArb, { minLength: 1, maxLength: 80 }), async (orders) => {
        const fixed = orders.map((x) => ({ ...x, revenue: x.kind === 'refund' ? -Math.abs(x.revenue) : x.revenue }));
        await reset(fixed);
        for (const table of [DEFAULT_GROUPS_5, DEFAULT_GROUPS_3]) {
          const sql = await rfmRows(store, asOf, table.bins, cellNames(table));
          const mem = rfmInMemory(fixed, asOf, table);
          expect(sql.map(({ rfm_group, ...rest }) => ({ ...rest, group: rfm_group }))).toEqual(mem);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('reports group sizes, score distributions and one customer found by any identifier, and saves the snapshot', async () => {
    await reset([o('a', '2024-01-31T10:00:00', 100), o('a', '2024-01-20T10:00:00', 100), o('b', '2023-12-25T00:00:00', 40)]);
    await store.run("INSERT INTO identities VALUES ('external:online_retail', '12347', 'a', now())");
    await store.run("INSERT INTO identities VALUES ('email', 'b@example.com', 'b', now())");
    const rep = await runRfm(store, { asOf: day('2024-02-01'), table: DEFAULT_GROUPS_5, customer: '12347' });
    expect(rep.scored).toBe(2);
    expect(rep.as_of).toBe('2024-02-01');
    expect(rep.customer).toMatchObject({ customer_id: 'a', recency_days: 0, frequency: 2, monetary: 200, r: 4, f: 4, m: 4, group: 'Loyal Customers' });
    // n = 2: the better of two has w = 1, t = 1, so 1 + floor(5 × 3 / 4) = 4; the other 1 + floor(5 × 1 / 4) = 2
    expect(rep.groups).toMatchObject({ 'Loyal Customers': 1, Hibernating: 1, Champions: 0 });
    expect(rep.r).toEqual({ 1: 0, 2: 1, 3: 0, 4: 1, 5: 0 });
    expect(rep.warnings).toEqual(['Only 2 customers are scored: RFM ranks customers against each other, so 2 cannot fill 5 bins and the scores say little.']);
    const snap = await store.all('SELECT customer_id, score, rfm_group, as_of FROM customer_rfm ORDER BY customer_id');
    expect(snap).toEqual([
      { customer_id: 'a', score: '444', rfm_group: 'Loyal Customers', as_of: day('2024-02-01') },
      { customer_id: 'b', score: '222', rfm_group: 'Hibernating', as_of: day('2024-02-01') },
    ]);
    const byEmail = await runRfm(store, { asOf: day('2024-02-01'), table: DEFAULT_GROUPS_5, customer: ' B@Example.com', save: false });
    expect(byEmail.customer?.customer_id).toBe('b');
    await expect(runRfm(store, { asOf: day('2024-02-01'), table: DEFAULT_GROUPS_5, customer: 'nobody' })).rejects.toThrow(
      'No customer has the identifier "nobody"',
    );
    await expect(runRfm(store, { asOf: day('2024-01-01'), table: DEFAULT_GROUPS_5, customer: 'a', save: false })).rejects.toThrow(
      /has no order before 2024-01-01/,
    );
  });

  it('counts movement between groups, with new customers from "(not yet a customer)"', async () => {
    await reset([
      o('a', '2024-01-01', 100),
      o('a', '2024-03-20', 100),
      o('b', '2024-01-02', 10),
      o('c', '2024-03-25', 30),
    ]);
    const mv = await rfmMovementReport(store, day('2024-02-01'), day('2024-04-01'), DEFAULT_GROUPS_5);
    const from = await rfmRows(store, day('2024-02-01'), 5, cellNames(DEFAULT_GROUPS_5));
    const to = await rfmRows(store, day('2024-04-01'), 5, cellNames(DEFAULT_GROUPS_5));
    const before = new Map(from.map((r) => [r.customer_id, r.rfm_group]));
    const expected = new Map<string, number>();
    for (const r of to) {
      const key = `${before.get(r.customer_id) ?? '(not yet a customer)'}|${r.rfm_group}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(new Map(mv.transitions.map((t) => [`${t.from}|${t.to}`, t.count]))).toEqual(expected);
    expect(mv.matrix['(not yet a customer)']!).toMatchObject({ 'New Customers': 0 });
    expect(mv).toMatchObject({ customers_at_from: 2, customers_at_to: 3, new_customers: 1 });
    await expect(rfmMovementReport(store, day('2024-04-01'), day('2024-02-01'), DEFAULT_GROUPS_5)).rejects.toThrow(/must be before/);
  });
});
