import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSegmentHealth } from '../../src/measure/health/check.js';
import { kpiRange } from '../../src/measure/kpis/days.js';
import { ensureKpis } from '../../src/measure/kpis/ensure.js';
import { segmentKpis } from '../../src/measure/kpis/read.js';
import { createSegment, deleteSegment } from '../../src/segments/manage/crud.js';
import type { Store } from '../../src/store/db.js';
import { recordSegmentUse } from '../../src/store/queries/measure/usage.js';
import { runCli } from '../helpers/cli.js';
import { putPrediction } from '../helpers/predictions.js';
import { tempStore } from '../helpers/store.js';
import { loadShop } from './shop.js';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
let store: Store;
let path: string;
let cleanup: () => void;

beforeAll(async () => {
  const t = await tempStore();
  store = t.store;
  path = t.path;
  cleanup = t.cleanup;
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  await loadShop(
    store,
    ids.map((id) => ({ id, createdAt: d('2024-01-01'), email: `${id}@example.com` })),
    [
      { customer: 'a', at: new Date('2024-03-01T10:00:00Z'), revenue: 40 },
      { customer: 'b', at: new Date('2024-03-03T12:00:00Z'), revenue: 60 },
      { customer: 'a', at: new Date('2024-03-05T10:00:00Z'), revenue: 20 },
      { customer: 'a', at: new Date('2024-03-05T11:00:00Z'), revenue: -5, kind: 'refund' },
    ],
    [{ customer: 'a', event: 'Email Opened', at: new Date('2024-03-06T08:00:00Z') }],
  );
  // Predictions made on 2024-03-08: before that day the churn-risk mix is unknown.
  await putPrediction(store, {
    customer_id: 'a',
    as_of: '2024-03-08',
    model: 'bg-nbd',
    model_id: 'm',
    expected_purchases_90d: 1,
    p_alive: 0.9,
    churn_probability: 0.1,
    churn_risk: 'low',
    expected_spend: 10,
    predicted_clv_365d: 100,
    next_order_at: null,
    computed_at: '2024-03-08',
  });
  const old = d('2024-01-01');
  await createSegment(store, { name: 'recent', definition: { query: 'last_order_at > -7d' } }, old);
});
afterAll(() => cleanup());

describe('daily segment KPIs', () => {
  it('follow entries, exits and the members’ orders day by day, with metrics as they were each day', async () => {
    const [k] = await segmentKpis(store, ['recent'], '2024-03-01', '2024-03-13');
    const table = k!.days.map((x) => [x.day.slice(5), x.size, x.entries, x.exits, x.members_at_start, x.orders, x.revenue]);
    // Hand-worked: a enters with her order of 03-01 and leaves at the end of 03-12 (last order 03-05 10:00, 7 days);
    // b enters on 03-03 and leaves at the end of 03-10. A day's orders are those of the members at its start:
    // a's 03-05 order (20) and refund (−5) count; the orders that made a and b enter do not.
    expect(table).toEqual([
      ['03-01', 1, 1, 0, 0, 0, 0],
      ['03-02', 1, 0, 0, 1, 0, 0],
      ['03-03', 2, 1, 0, 1, 0, 0],
      ['03-04', 2, 0, 0, 2, 0, 0],
      ['03-05', 2, 0, 0, 2, 1, 15],
      ['03-06', 2, 0, 0, 2, 0, 0],
      ['03-07', 2, 0, 0, 2, 0, 0],
      ['03-08', 2, 0, 0, 2, 0, 0],
      ['03-09', 2, 0, 0, 2, 0, 0],
      ['03-10', 1, 0, 1, 2, 0, 0],
      ['03-11', 1, 0, 0, 1, 0, 0],
      ['03-12', 0, 0, 1, 1, 0, 0],
      ['03-13', 0, 0, 0, 0, 0, 0],
    ]);
    const day5 = k!.days[4]!;
    expect(day5).toMatchObject({ buyers: 1, conversion: 0.5, aov: 20 });
    expect(k!.days[5]).toMatchObject({ email_opens: 1, open_rate: 0.5 });
    expect(k!.days[5]!.churn_risk).toBeNull();
    expect(k!.days[7]!.churn_risk).toEqual({ low: 1, medium: 0, high: 0, unscored: 1 });
    expect(k!.totals).toMatchObject({ days: 13, entries: 2, exits: 2, orders: 1, revenue: 15, aov: 20 });
  });

  it('stores the days and computes only the missing ones on the next request', async () => {
    expect(await ensureKpis(store, '2024-03-01', '2024-03-13')).toBe(0);
    // 02-27, 02-28, 02-29 (a leap year) and 03-14.
    expect(await ensureKpis(store, '2024-02-27', '2024-03-14')).toBe(4);
    const [k] = await segmentKpis(store, ['recent'], '2024-03-13', '2024-03-14');
    expect(k!.days.map((x) => [x.size, x.entries, x.exits])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('reads ranges as UTC days (the default zone) and refuses impossible ones', () => {
    const now = new Date('2024-03-20T15:00:00Z');
    expect(kpiRange(undefined, undefined, 'UTC', now)).toEqual({ from: '2024-02-19', to: '2024-03-19' });
    expect(() => kpiRange(undefined, '2024-03-20', 'UTC', now)).toThrow(/the last is yesterday, 2024-03-19/);
    expect(() => kpiRange('2024-03-10', '2024-03-01', 'UTC', now)).toThrow(/is after --to/);
    expect(() => kpiRange('someday', undefined, 'UTC', now)).toThrow(/--from: "someday" is not a date/);
  });
});

describe('segment health', () => {
  it('warns about tiny, duplicate, stale, forgotten segments and over-segmentation', async () => {
    const old = d('2024-01-01');
    await createSegment(store, { name: 'recent-copy', definition: { query: 'last_order_at > -7d' } }, old);
    await createSegment(store, { name: 'everyone', definition: { query: 'orders_count >= 0' } }, old);
    const everyone = (await store.one<{ segment_id: string }>(`SELECT segment_id FROM segments WHERE name = 'everyone'`))!.segment_id;
    await recordSegmentUse(store, everyone, 'export', null, d('2024-03-10'));
    // Checked on 2024-03-08 at noon: the last whole day is 03-07, when a and b are in "recent".
    const r = await checkSegmentHealth(store, { staleDays: 5, forgottenDays: 60 }, new Date('2024-03-08T12:00:00Z'));
    expect(r.day).toBe('2024-03-07');
    expect(r.base).toBe(6);
    const codes = Object.fromEntries(r.segments.map((s) => [s.segment, s.warnings.map((w) => w.code).sort()]));
    expect(codes).toEqual({
      everyone: ['stale', 'too_small', 'too_small_to_measure'],
      recent: ['forgotten', 'near_duplicate', 'too_small', 'too_small_to_measure'],
      'recent-copy': ['forgotten', 'near_duplicate', 'too_small', 'too_small_to_measure'],
    });
    const recent = r.segments.find((s) => s.segment === 'recent')!;
    expect(recent.size).toBe(2);
    expect(recent.warnings.find((w) => w.code === 'forgotten')!.message).toBe('Never used by a workflow, export or experiment in the 67 days since it was created.');
    expect(r.warnings[0]!.code).toBe('over_segmentation');
    expect(r.warnings[0]!.message).toMatch(/^3 segments for a base of 6 customers: at a useful size of 50 .* supports at most 0/);
    expect((await store.one<{ n: number }>('SELECT count(*) AS n FROM segment_health_checks'))!.n).toBe(1);
  });

  it('forgets everything about a deleted segment', async () => {
    await deleteSegment(store, 'recent-copy');
    for (const table of ['segment_kpis', 'segment_kpi_members', 'segment_kpi_state', 'segment_usage']) {
      const orphans = await store.one<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE segment_id NOT IN (SELECT segment_id FROM segments)`);
      expect(orphans!.n).toBe(0);
    }
    expect((await store.one<{ n: number }>('SELECT count(*) AS n FROM segment_kpis'))!.n).toBeGreaterThan(0);
  });

  it('is on the CLI: segments kpis (one and side by side) and segments health', async () => {
    store.close();
    const one = JSON.parse(await runCli(path, 'segments', 'kpis', 'recent', '--from', '2024-03-01', '--to', '2024-03-05', '--json'));
    expect(one.days.map((x: { size: number }) => x.size)).toEqual([1, 1, 2, 2, 2]);
    const side = await runCli(path, 'segments', 'kpis', 'recent', 'everyone', '--from', '2024-03-01', '--to', '2024-03-05');
    expect(side).toMatch(/size \(first → last\)\s+1 → 2\s+6 → 6/);
    const health = await runCli(path, 'segments', 'health', '--stale-days', '3');
    expect(health).toMatch(/^Segment health at the end of \d{4}-\d{2}-\d{2} \(base 6 customers\):/);
    await expect(runCli(path, 'segments', 'kpis', 'nope', '--to', '2024-03-05')).rejects.toMatchObject({ code: 'segment_not_found' });
  });
});
