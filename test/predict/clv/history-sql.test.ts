import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/db.js';
import { clvHistories, type ClvGrain, type ClvHistoryColumns } from '../../../src/store/queries/clv.js';
import { storePerFile } from '../../helpers/store.js';

/**
 * The per-customer histories (src/store/queries/clv.ts) are one GROUP BY: the first transaction found by
 * min / arg_min, repeats as totals less the first, spend summed exactly in whole 1/10,000 units. They are
 * checked here against two other computations: the earlier query, which ranked each customer's
 * transactions with a window (row_number, kept below as it was) and averaged the spend as doubles, and a
 * plain JavaScript walk over the orders with BigInt sums.
 */
const WINDOW_TRANSACTIONS: Record<ClvGrain, string> = {
  day: `SELECT customer_id, epoch(CAST(placed_at AS DATE)) / 86400 AS day, sum(revenue)::DOUBLE AS spend
        FROM orders
        WHERE kind = 'order' AND customer_id IS NOT NULL AND placed_at < $2::TIMESTAMP
        GROUP BY customer_id, CAST(placed_at AS DATE)`,
  order: `SELECT customer_id, epoch(placed_at) / 86400 AS day, revenue::DOUBLE AS spend
          FROM orders
          WHERE kind = 'order' AND customer_id IS NOT NULL AND placed_at < $2::TIMESTAMP`,
};
const windowSql = (grain: ClvGrain) => `WITH t AS (${WINDOW_TRANSACTIONS[grain]}),
     ranked AS (
       SELECT customer_id, day, spend,
         row_number() OVER (PARTITION BY customer_id ORDER BY day) AS k,
         min(day) OVER (PARTITION BY customer_id) AS first_day
       FROM t
     ),
     cut AS (SELECT epoch($1::TIMESTAMP) / 86400 AS cal)
     SELECT customer_id, first_day,
       count(*) FILTER (WHERE day < cal AND k > 1)::DOUBLE AS x,
       max(day) FILTER (WHERE day < cal) AS last_day,
       avg(spend) FILTER (WHERE day < cal AND k > 1) AS mean_repeat_spend,
       count(*) FILTER (WHERE day >= cal)::DOUBLE AS x_star,
       min(day) FILTER (WHERE day >= cal) AS next_day
     FROM ranked, cut
     GROUP BY customer_id, first_day, cal
     HAVING first_day < cal
     ORDER BY customer_id`;

interface Order {
  id: string;
  customer: string | null;
  kind: 'order' | 'refund';
  /** ms since the epoch, whole seconds */
  at: number;
  /** revenue in whole 1/10,000 units */
  units: number;
}

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

const text = (units: number) => {
  const sign = units < 0 ? '-' : '';
  const a = Math.abs(units);
  return `${sign}${Math.floor(a / 10_000)}.${String(a % 10_000).padStart(4, '0')}`;
};

async function load(store: Store, orders: readonly Order[]): Promise<void> {
  await store.run('DELETE FROM orders');
  if (orders.length === 0) return;
  await store.run(
    `INSERT INTO orders
     SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]), unnest($3::VARCHAR[]), make_timestamp(unnest($4::BIGINT[]) * 1000),
       unnest($5::VARCHAR[])::DECIMAL(18,4), 'GBP', NULL, 'test'`,
    [orders.map((o) => o.id), orders.map((o) => o.customer), orders.map((o) => o.kind), orders.map((o) => o.at), orders.map((o) => text(o.units))],
  );
}

/** The histories by hand: group the orders per customer (and per day at day grain), in plain JavaScript. */
function byHand(orders: readonly Order[], grain: ClvGrain, cal: number, hold: number) {
  const perCustomer = new Map<string, { day: number; units: bigint; id: string }[]>();
  for (const o of orders) {
    if (o.kind !== 'order' || o.customer === null || o.at >= hold) continue;
    const day = grain === 'day' ? Math.floor(o.at / DAY) : o.at / DAY;
    const list = perCustomer.get(o.customer) ?? [];
    const same = grain === 'day' ? list.find((t) => t.day === day) : undefined;
    if (same) same.units += BigInt(o.units);
    else list.push({ day, units: BigInt(o.units), id: o.id });
    perCustomer.set(o.customer, list);
  }
  const calDay = cal / DAY;
  const rows = [...perCustomer.entries()]
    .map(([customer, ts]) => {
      // The first transaction: the earliest, then (order grain, same moment) the lowest order id.
      const sorted = [...ts].sort((a, b) => a.day - b.day || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const first = sorted[0] as (typeof sorted)[number];
      const before = sorted.filter((t) => t.day < calDay);
      const after = sorted.filter((t) => t.day >= calDay);
      const repeats = before.slice(1);
      const sum = repeats.reduce((s, t) => s + t.units, 0n);
      return {
        customer,
        firstDay: first.day,
        x: repeats.length,
        lastDay: before.length ? Math.max(...before.map((t) => t.day)) : NaN,
        // Both operands are whole numbers below 2^53, so one IEEE division gives the correctly rounded mean.
        meanRepeatSpend: repeats.length ? Number(sum) / (10_000 * repeats.length) : NaN,
        xStar: after.length,
        nextDay: after.length ? Math.min(...after.map((t) => t.day)) : NaN,
      };
    })
    .filter((r) => r.firstDay < calDay)
    .sort((a, b) => (a.customer < b.customer ? -1 : a.customer > b.customer ? 1 : 0));
  return rows;
}

const column = (h: ClvHistoryColumns, i: number) => ({
  customer: h.customerIds[i],
  firstDay: h.firstDay[i],
  x: h.x[i],
  lastDay: h.lastDay[i],
  meanRepeatSpend: h.meanRepeatSpend[i],
  xStar: h.xStar[i],
  nextDay: h.nextDay[i],
});

const shared = storePerFile();

describe('customer histories in one aggregate', () => {
  it('a hand-computed customer: the mean repeat spend is the exact sum divided once', async () => {
    const { store } = shared;
    // c: first order 1.00 on Jan 1; repeats 0.10 on Jan 3 and 0.20 on Jan 5 (two orders, 0.05 + 0.15);
    // a refund and a guest order that do not count; 9.99 on Jan 12, in the holdout (calibration to Jan 9).
    await load(store, [
      { id: 'o1', customer: 'c', kind: 'order', at: START + 9 * 3600_000, units: 10_000 },
      { id: 'o2', customer: 'c', kind: 'order', at: START + 2 * DAY + 3600_000, units: 1_000 },
      { id: 'o3', customer: 'c', kind: 'order', at: START + 4 * DAY + 60_000, units: 500 },
      { id: 'o4', customer: 'c', kind: 'order', at: START + 4 * DAY + 7_200_000, units: 1_500 },
      { id: 'r1', customer: 'c', kind: 'refund', at: START + 6 * DAY, units: -1_000 },
      { id: 'g1', customer: null, kind: 'order', at: START + 6 * DAY, units: 50_000 },
      { id: 'o5', customer: 'c', kind: 'order', at: START + 11 * DAY, units: 99_900 },
    ]);
    const cal = new Date(START + 9 * DAY);
    const hold = new Date(START + 20 * DAY);
    const h = await clvHistories(store, 'day', cal, hold);
    const day0 = START / DAY;
    // x = 2 repeat days (Jan 3, Jan 5), the last on day0 + 4; one holdout day, day0 + 11.
    expect(column(h, 0)).toEqual({ customer: 'c', firstDay: day0, x: 2, lastDay: day0 + 4, meanRepeatSpend: 0.15, xStar: 1, nextDay: day0 + 11 });
    // The double average of the window query was 0.15000000000000002: 0.1 + 0.2 is not 0.3 in binary.
    const old = await store.columns(windowSql('day'), [cal, hold]);
    expect(old.numbers('mean_repeat_spend')[0]).toBe((0.1 + 0.2) / 2);
    expect((0.1 + 0.2) / 2).not.toBe(0.15);
    // At order grain every order counts: repeats 0.10, 0.05, 0.15, mean 0.1.
    const o = await clvHistories(store, 'order', cal, hold);
    expect([o.x[0], o.meanRepeatSpend[0], o.xStar[0]]).toEqual([3, 0.1, 1]);
  });

  it('on random bases equals the window query (x, t_x, T, holdout exactly; spend to rounding) and the hand walk (exactly)', async () => {
    const { store } = shared;
    const order = fc.record({
      customer: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { freq: 8 }),
      kind: fc.constantFrom<Order['kind']>('order', 'order', 'order', 'refund'),
      // A few days with several orders (the same second, too), over a month.
      day: fc.integer({ min: 0, max: 30 }),
      second: fc.oneof(fc.constant(0), fc.constant(43_200), fc.integer({ min: 0, max: 86_399 })),
      units: fc.oneof(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: -1_000, max: 1_000 }), fc.integer({ min: 0, max: 9_999 }).map((u) => u * 100)),
    });
    const base = fc.record({
      orders: fc.array(order, { minLength: 0, maxLength: 40, size: 'max' }),
      calDay: fc.integer({ min: 4, max: 32 }),
      holdoutDays: fc.integer({ min: 0, max: 10 }),
      grain: fc.constantFrom<ClvGrain>('day', 'order'),
    });
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(base, async ({ orders: drawn, calDay, holdoutDays, grain }) => {
        // Ids fall as rows are inserted, so a tie-break by id is not the insertion order.
        const orders: Order[] = drawn.map((o, i) => ({ id: `o${String(drawn.length - i).padStart(3, '0')}`, customer: o.customer, kind: o.kind, at: START + o.day * DAY + o.second * 1000, units: o.units }));
        await load(store, orders);
        const cal = START + calDay * DAY;
        const hold = cal + holdoutDays * DAY;
        const h = await clvHistories(store, grain, new Date(cal), new Date(hold));
        const expected = byHand(orders, grain, cal, hold);
        expect(Array.from({ length: h.x.length }, (_, i) => column(h, i))).toEqual(expected);
        // The window query: the same customers and counts; the spend a double average, so within rounding.
        const old = await store.columns(windowSql(grain), [new Date(cal), new Date(hold)]);
        expect(old.values<string>('customer_id')).toEqual(h.customerIds);
        for (const name of ['first_day', 'x', 'last_day', 'x_star', 'next_day'] as const) {
          expect(Array.from(old.numbers(name))).toEqual(Array.from(h[({ first_day: 'firstDay', x: 'x', last_day: 'lastDay', x_star: 'xStar', next_day: 'nextDay' } as const)[name]]));
        }
        const oldSpend = old.numbers('mean_repeat_spend');
        for (let i = 0; i < h.x.length; i++) {
          const customer = h.customerIds[i] as string;
          // At order grain, orders at the same first moment were ranked in no set order by the window.
          const firstAt = Math.min(...orders.filter((o) => o.customer === customer && o.kind === 'order' && o.at < hold).map((o) => o.at));
          const tied = orders.filter((o) => o.customer === customer && o.kind === 'order' && o.at === firstAt).length > 1;
          if (grain === 'order' && tied) continue;
          const a = oldSpend[i] as number;
          const b = h.meanRepeatSpend[i] as number;
          if (Number.isNaN(b)) expect(a).toBeNaN();
          else {
            expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
            compared++;
          }
        }
      }),
      { numRuns: 120, seed: 17 },
    );
    // Enough customers with repeat spend were compared for the check to mean something.
    expect(compared).toBeGreaterThan(100);
  });
});
