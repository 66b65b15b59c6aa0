import { describe, expect, it } from 'vitest';
import { setSetting, unsetSetting } from '../../src/config/settings.js';
import { DailyMeasureChecks } from '../../src/measure/daily.js';
import { formatHealth, formatKpis } from '../../src/measure/format/kpis.js';
import { checkSegmentHealth } from '../../src/measure/health/check.js';
import { dayBounds, kpiRange } from '../../src/measure/kpis/days.js';
import { ensureKpis } from '../../src/measure/kpis/ensure.js';
import { segmentKpis } from '../../src/measure/kpis/read.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import type { Store } from '../../src/store/db.js';
import { storePerTest } from '../helpers/store.js';
import { loadShop, type ShopOrder } from './shop.js';

// Segment KPI days are days of the workspace time zone (DESIGN.md: "the workspace time zone decides day
// boundaries in reports"). Answers are worked out by hand from the zone rules (IANA tzdata):
// Pacific/Kiritimati is UTC+14 all year; America/New_York is UTC−5 (EST), and UTC−4 (EDT) from
// 2024-03-10 02:00 EST to 2024-11-03 02:00 EDT. So New York's 2024-03-10 runs from 05:00Z to
// 2024-03-11T04:00Z (23 hours) and its 2024-11-03 from 04:00Z to 2024-11-04T05:00Z (25 hours).
// This file runs under TZ=America/New_York and TZ=Asia/Tokyo as well (vitest.config.ts): only the
// setting may change a result, never the process's zone.
const store = storePerTest();
const HOUR = 3600_000;

/** A shop of one customer (created long before) with these orders, and two segments. */
async function shop(orders: readonly ShopOrder[]): Promise<Store> {
  const s = await store();
  await loadShop(s, [{ id: 'a', createdAt: new Date('2023-01-01T00:00:00Z') }], orders);
  const created = new Date('2023-01-01T00:00:00Z');
  await createSegment(s, { name: 'everyone', definition: { query: 'orders_count >= 0' } }, created);
  await createSegment(s, { name: 'buyers', definition: { query: 'orders_count >= 1' } }, created);
  return s;
}

const ordersByDay = async (s: Store, from: string, to: string) => {
  const [k] = await segmentKpis(s, ['everyone'], from, to);
  return k!.days.map((d) => [d.day, d.orders]);
};

describe('segment KPI days in the workspace time zone', () => {
  it('an order at 2024-01-31T23:30Z is on 2024-01-31 in UTC and on 2024-02-01 at UTC+14', async () => {
    const s = await shop([{ customer: 'a', at: new Date('2024-01-31T23:30:00Z'), revenue: 10 }]);
    // UTC (the default): 2024-01-31 runs 00:00Z to 2024-02-01T00:00Z and holds 23:30Z.
    expect(await ordersByDay(s, '2024-01-30', '2024-02-02')).toEqual([
      ['2024-01-30', 0],
      ['2024-01-31', 1],
      ['2024-02-01', 0],
      ['2024-02-02', 0],
    ]);
    const [utcBuyers] = await segmentKpis(s, ['buyers'], '2024-01-30', '2024-02-02');
    expect(utcBuyers!.days.map((d) => d.entries)).toEqual([0, 1, 0, 0]);
    expect(utcBuyers!.time_zone).toBe('UTC');

    await setSetting(s, 'workspace.timezone', 'Pacific/Kiritimati');
    // 23:30Z + 14 h = 2024-02-01 13:30 local; the local 2024-02-01 runs 2024-01-31T10:00Z to 2024-02-01T10:00Z.
    expect(dayBounds('2024-02-01', 'Pacific/Kiritimati')).toEqual({ start: new Date('2024-01-31T10:00:00Z'), end: new Date('2024-02-01T10:00:00Z') });
    expect(await ordersByDay(s, '2024-01-30', '2024-02-02')).toEqual([
      ['2024-01-30', 0],
      ['2024-01-31', 0],
      ['2024-02-01', 1],
      ['2024-02-02', 0],
    ]);
    const [kiri] = await segmentKpis(s, ['buyers'], '2024-01-30', '2024-02-02');
    expect(kiri!.days.map((d) => d.entries)).toEqual([0, 0, 1, 0]);
    expect(kiri!.time_zone).toBe('Pacific/Kiritimati');
    expect(formatKpis([kiri!])).toMatch(/^"buyers" 2024-01-30 to 2024-02-02 \(Pacific\/Kiritimati\)\n/);

    // Each stored day says whose day it is; back in UTC the UTC days are read again, not recomputed.
    const zones = await s.all<{ tz: string; n: number }>('SELECT time_zone AS tz, count(*)::INTEGER AS n FROM segment_kpis GROUP BY 1 ORDER BY 1');
    expect(zones).toEqual([
      { tz: 'Pacific/Kiritimati', n: 8 },
      { tz: 'UTC', n: 8 },
    ]);
    await unsetSetting(s, 'workspace.timezone');
    expect(await ensureKpis(s, '2024-01-30', '2024-02-02')).toBe(0);
    expect(await ordersByDay(s, '2024-01-30', '2024-02-02')).toEqual([
      ['2024-01-30', 0],
      ['2024-01-31', 1],
      ['2024-02-01', 0],
      ['2024-02-02', 0],
    ]);
  });

  it("New York's 23-hour day (2024-03-10) and 25-hour day (2024-11-03) hold the orders of their local hours", async () => {
    const tz = 'America/New_York';
    const length = (day: string) => {
      const b = dayBounds(day, tz);
      return (b.end.getTime() - b.start.getTime()) / HOUR;
    };
    expect([length('2024-03-09'), length('2024-03-10'), length('2024-03-11'), length('2024-11-03')]).toEqual([24, 23, 24, 25]);
    const s = await shop([
      { customer: 'a', at: new Date('2024-03-10T04:30:00Z'), revenue: 1 }, // Sat 9 March 23:30 EST
      { customer: 'a', at: new Date('2024-03-10T05:30:00Z'), revenue: 2 }, // Sun 10 March 00:30 EST
      { customer: 'a', at: new Date('2024-03-11T03:30:00Z'), revenue: 4 }, // Sun 10 March 23:30 EDT (UTC: 03-11)
      { customer: 'a', at: new Date('2024-03-11T04:30:00Z'), revenue: 8 }, // Mon 11 March 00:30 EDT
      { customer: 'a', at: new Date('2024-11-03T03:30:00Z'), revenue: 16 }, // Sat 2 November 23:30 EDT
      { customer: 'a', at: new Date('2024-11-03T04:30:00Z'), revenue: 32 }, // Sun 3 November 00:30 EDT
      { customer: 'a', at: new Date('2024-11-04T04:30:00Z'), revenue: 64 }, // Sun 3 November 23:30 EST (UTC: 11-04)
      { customer: 'a', at: new Date('2024-11-04T05:30:00Z'), revenue: 128 }, // Mon 4 November 00:30 EST
    ]);
    const revenue = async (from: string, to: string) => (await segmentKpis(s, ['everyone'], from, to))[0]!.days.map((d) => [d.day, d.revenue]);
    // UTC: 1 and 2 on 03-10, 4 and 8 on 03-11; 16 and 32 on 11-03, 64 and 128 on 11-04.
    expect(await revenue('2024-03-09', '2024-03-11')).toEqual([
      ['2024-03-09', 0],
      ['2024-03-10', 3],
      ['2024-03-11', 12],
    ]);
    expect(await revenue('2024-11-02', '2024-11-04')).toEqual([
      ['2024-11-02', 0],
      ['2024-11-03', 48],
      ['2024-11-04', 192],
    ]);
    await setSetting(s, 'workspace.timezone', tz);
    // New York: 1 on 03-09; 2 + 4 on the 23-hour 03-10; 8 on 03-11; 16 on 11-02; 32 + 64 on the 25-hour 11-03; 128 on 11-04.
    expect(await revenue('2024-03-09', '2024-03-11')).toEqual([
      ['2024-03-09', 1],
      ['2024-03-10', 6],
      ['2024-03-11', 8],
    ]);
    expect(await revenue('2024-11-02', '2024-11-04')).toEqual([
      ['2024-11-02', 16],
      ['2024-11-03', 96],
      ['2024-11-04', 128],
    ]);
  });

  it('reads --from/--to and finds yesterday in the workspace zone', () => {
    const now = new Date('2024-03-20T02:00:00Z'); // 2024-03-19 22:00 EDT
    expect(kpiRange(undefined, undefined, 'UTC', now)).toEqual({ from: '2024-02-19', to: '2024-03-19' });
    expect(kpiRange(undefined, undefined, 'America/New_York', now)).toEqual({ from: '2024-02-18', to: '2024-03-18' });
    expect(() => kpiRange(undefined, '2024-03-19', 'America/New_York', now)).toThrow(/the last is yesterday, 2024-03-18 \(America\/New_York\)/);
    // 2024-03-20T12:00Z is 2024-03-21 02:00 at UTC+14: yesterday there is 03-20, still today in UTC.
    const noon = new Date('2024-03-20T12:00:00Z');
    expect(kpiRange(undefined, '2024-03-20', 'Pacific/Kiritimati', noon)).toEqual({ from: '2024-02-20', to: '2024-03-20' });
    expect(() => kpiRange(undefined, '2024-03-20', 'UTC', noon)).toThrow(/the last is yesterday, 2024-03-19 \(UTC\)/);
    // A datetime is the local day holding it: 2024-03-01T03:00Z is 29 February 22:00 EST.
    expect(kpiRange('2024-03-01T03:00:00Z', '2024-03-01', 'America/New_York', now)).toEqual({ from: '2024-02-29', to: '2024-03-01' });
    // Ten years are counted in calendar days, DST or not.
    expect(() => kpiRange('2014-03-01', '2024-03-10', 'America/New_York', now)).toThrow(/more than 3660 days/);
  });
});

describe('segment health in the workspace zone', () => {
  it('checks the end of yesterday there', async () => {
    const s = await shop([{ customer: 'a', at: new Date('2024-01-31T23:30:00Z'), revenue: 10 }]);
    const now = new Date('2024-02-01T12:00:00Z'); // 2024-02-02 02:00 at UTC+14
    const utc = await checkSegmentHealth(s, { staleDays: 3 }, now);
    expect(utc).toMatchObject({ day: '2024-01-31', time_zone: 'UTC' });
    await setSetting(s, 'workspace.timezone', 'Pacific/Kiritimati');
    const kiri = await checkSegmentHealth(s, { staleDays: 3 }, now);
    expect(kiri).toMatchObject({ day: '2024-02-01', time_zone: 'Pacific/Kiritimati' });
    expect(kiri.segments.find((x) => x.segment === 'buyers')!.size).toBe(1);
    expect(formatHealth(kiri)).toMatch(/^Segment health at the end of 2024-02-01 \(Pacific\/Kiritimati\) \(base 1 customers\):/);
    const kept = await s.all<{ day: string; tz: string }>('SELECT as_of_day::VARCHAR AS day, time_zone AS tz FROM segment_health_checks ORDER BY as_of_day');
    expect(kept).toEqual([
      { day: '2024-01-31', tz: 'UTC' },
      { day: '2024-02-01', tz: 'Pacific/Kiritimati' },
    ]);
  });
});

describe('the daily job follows local midnights', () => {
  it('waits until five minutes after the next midnight of the zone, 23 or 25 hours apart across DST', () => {
    const wait = (at: string, tz: string) => DailyMeasureChecks.untilNextRun(new Date(at), tz) / 60_000;
    // UTC unchanged: 12:00Z → 00:05Z next day.
    expect(wait('2024-03-08T12:00:00Z', 'UTC')).toBe(12 * 60 + 5);
    // Kiritimati: 12:00Z is 02:00 on 9 March local; the next local midnight is 2024-03-09T10:00Z.
    expect(wait('2024-03-08T12:00:00Z', 'Pacific/Kiritimati')).toBe(22 * 60 + 5);
    // New York, just after the run of 10 March 00:05 EST (05:05Z): next midnight 11 March 00:00 EDT = 04:00Z.
    expect(wait('2024-03-10T05:05:00Z', 'America/New_York')).toBe(23 * 60);
    // 3 November 00:05 EDT (04:05Z): next midnight 4 November 00:00 EST = 05:00Z.
    expect(wait('2024-11-03T04:05:00Z', 'America/New_York')).toBe(25 * 60);
  });
});
