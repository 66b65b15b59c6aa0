import { describe, expect, it } from 'vitest';
import { readMoment } from '../../src/analytics/asOf.js';
import { setSetting, unsetSetting } from '../../src/config/settings.js';
import { DailyMeasureChecks } from '../../src/measure/daily.js';
import { formatHealth, formatKpis } from '../../src/measure/format/kpis.js';
import { checkSegmentHealth } from '../../src/measure/health/check.js';
import { dayBounds, kpiRange } from '../../src/measure/kpis/days.js';
import { ensureKpis } from '../../src/measure/kpis/ensure.js';
import { segmentKpis } from '../../src/measure/kpis/read.js';
import { parseCutoff } from '../../src/predict/propensity/time.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { previewSegment } from '../../src/segments/manage/preview.js';
import type { Store } from '../../src/store/db.js';
import { runCli } from '../helpers/cli.js';
import { storePerTest, tempStore } from '../helpers/store.js';
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

describe('moments given to segment, experiment and cutoff options, in the workspace zone', () => {
  it('a date alone is midnight at its start there: preview as of 2024-02-01 sees an event of 2024-01-31T23:30Z in UTC, not at UTC+14', async () => {
    const s = await store();
    await loadShop(s, [{ id: 'a', createdAt: new Date('2023-01-01T00:00:00Z') }], [], [{ customer: 'a', event: 'Order Completed', at: new Date('2024-01-31T23:30:00Z') }]);
    const query = 'performed "Order Completed" within 30d';
    const count = async (asOf: string) => (await previewSegment(s, { query }, { asOf: await readMoment(s, asOf), sampleSize: 0 })).count;
    // UTC: 2024-02-01 is 2024-02-01T00:00Z, after the event.
    expect((await readMoment(s, '2024-02-01')).toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(await count('2024-02-01')).toBe(1);
    await setSetting(s, 'workspace.timezone', 'Pacific/Kiritimati');
    // UTC+14: 2024-02-01 00:00 local is 2024-01-31T10:00Z, before the event (13:30 on 1 February local).
    expect((await readMoment(s, '2024-02-01')).toISOString()).toBe('2024-01-31T10:00:00.000Z');
    expect(await count('2024-02-01')).toBe(0);
    expect(await count('2024-02-02')).toBe(1);
    // A datetime keeps its offset (UTC when none is written), whatever the zone; missing is now.
    expect((await readMoment(s, '2024-02-01T00:00')).toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect((await readMoment(s, '2024-02-01T00:00+01:00')).toISOString()).toBe('2024-01-31T23:00:00.000Z');
    expect(await readMoment(s, undefined, '--as-of', () => new Date('2024-05-05T05:05:05Z'))).toEqual(new Date('2024-05-05T05:05:05Z'));
    await expect(readMoment(s, 'someday', '--at')).rejects.toMatchObject({ code: 'invalid_as_of', message: expect.stringContaining('--at: "someday" is not a date') });
  });

  it('a cutoff date is the last millisecond of that day there; a datetime never reads the process zone', () => {
    expect(parseCutoff('2011-11-09', 'cutoff').toISOString()).toBe('2011-11-09T23:59:59.999Z');
    // New York is UTC−5 in November 2011 (DST ended on 6 November): the day ends at 2011-11-10T05:00Z.
    expect(parseCutoff('2011-11-09', 'cutoff', 'America/New_York').toISOString()).toBe('2011-11-10T04:59:59.999Z');
    // UTC+14: 10 November begins at 2011-11-09T10:00Z.
    expect(parseCutoff('2011-11-09', 'cutoff', 'Pacific/Kiritimati').toISOString()).toBe('2011-11-09T09:59:59.999Z');
    // The 23-hour day: 2024-03-10 in New York ends at 2024-03-11T04:00Z.
    expect(parseCutoff('2024-03-10', 'cutoff', 'America/New_York').toISOString()).toBe('2024-03-11T03:59:59.999Z');
    // Before, `new Date('2011-11-09T10:00')` read this in the process's zone (TZ); now it is UTC, as every timestamp.
    expect(parseCutoff('2011-11-09T10:00', 'cutoff', 'America/New_York').toISOString()).toBe('2011-11-09T10:00:00.000Z');
    expect(() => parseCutoff('2011-13-40', 'cutoff')).toThrow(expect.objectContaining({ code: 'invalid_date', message: expect.stringContaining('--cutoff must be a date') }));
    expect(() => parseCutoff('yesterday', 'split')).toThrow(expect.objectContaining({ code: 'invalid_date' }));
  });
});

describe('on the command line', () => {
  it('segments kpis, health and preview read the zone set with config set', async () => {
    const t = await tempStore();
    try {
      await loadShop(t.store, [{ id: 'a', createdAt: new Date('2023-01-01T00:00:00Z') }], [{ customer: 'a', at: new Date('2024-01-31T23:30:00Z'), revenue: 10 }], [
        { customer: 'a', event: 'Order Completed', at: new Date('2024-01-31T23:30:00Z') },
      ]);
      await createSegment(t.store, { name: 'everyone', definition: { query: 'orders_count >= 0' } }, new Date('2023-01-01T00:00:00Z'));
      t.store.close();
      await runCli(t.path, 'config', 'set', 'workspace.timezone', 'Pacific/Kiritimati');
      const k = JSON.parse(await runCli(t.path, 'segments', 'kpis', 'everyone', '--from', '2024-01-31', '--to', '2024-02-01', '--json'));
      expect(k).toMatchObject({ time_zone: 'Pacific/Kiritimati', from: '2024-01-31', to: '2024-02-01' });
      expect(k.days.map((d: { day: string; orders: number }) => [d.day, d.orders])).toEqual([
        ['2024-01-31', 0],
        ['2024-02-01', 1],
      ]);
      // 2024-02-01T12:00Z is 2024-02-02 02:00 at UTC+14: the last whole day is 2024-02-01.
      expect(await runCli(t.path, 'segments', 'health', '--as-of', '2024-02-01T12:00:00Z')).toMatch(/^Segment health at the end of 2024-02-01 \(Pacific\/Kiritimati\)/);
      const p = JSON.parse(await runCli(t.path, 'segments', 'preview', '--query', 'performed "Order Completed" within 30d', '--as-of', '2024-02-01', '--json'));
      expect(p).toMatchObject({ asOf: '2024-01-31T10:00:00.000Z', count: 0 });
    } finally {
      t.cleanup();
    }
  });
});
