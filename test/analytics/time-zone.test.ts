import { describe, expect, it } from 'vitest';
import { formatMoment, parseReportMoment, resolveAsOf } from '../../src/analytics/asOf.js';
import { runCohorts } from '../../src/analytics/cohorts/cohorts.js';
import { formatCohorts } from '../../src/analytics/cohorts/format.js';
import { overview } from '../../src/analytics/overview/overview.js';
import { DEFAULT_GROUPS_5 } from '../../src/analytics/rfm/groups.js';
import { rfmGrid } from '../../src/analytics/rfm/grid.js';
import { rfmMovementReport } from '../../src/analytics/rfm/movement.js';
import { runRfm } from '../../src/analytics/rfm/rfm.js';
import type { OrderRecord } from '../../src/analytics/rfm/rfmInMemory.js';
import { setSetting, settingValue } from '../../src/config/settings.js';
import { writeSetting } from '../../src/store/queries/config/settings.js';
import { formatOverview } from '../../src/analytics/overview/format.js';
import { addDays, canonicalTimeZone, localDate, localParts } from '../../src/domain/time-zone.js';
import { cohortSizes } from '../../src/store/queries/analytics/cohorts.js';
import { defaultAsOf } from '../../src/store/queries/analytics/rfm.js';
import { storePerTest } from '../helpers/store.js';
import { insertOrders } from './helpers/orders.js';

// The workspace time zone decides day boundaries in reports (DESIGN.md). Answers are worked out by hand
// from the zone rules (IANA tzdata): Pacific/Kiritimati is UTC+14 (since 1995); America/New_York is
// UTC−5, and UTC−4 from 2024-03-10 02:00 local to 2024-11-03 02:00 local (second Sunday of March, first
// Sunday of November: US Energy Policy Act of 2005). This file runs under TZ=America/New_York and
// TZ=Asia/Tokyo as well (vitest.config.ts): only the setting may change a result, never the process.
const store = storePerTest();
const o = (customerId: string, at: string, revenue = 10, kind: 'order' | 'refund' = 'order'): OrderRecord => ({ customerId, kind, placedAt: new Date(at), revenue });
const now = new Date('2024-06-01T12:00:00Z');

describe('cohorts in the workspace time zone', () => {
  it('an order at 2024-01-31T23:30Z is in January in UTC and in February at UTC+14', async () => {
    const s = await store();
    await insertOrders(s, [o('a', '2024-01-31T23:30:00Z'), o('b', '2024-01-15T12:00:00Z')]);
    const utc = await runCohorts(s, 'month', now);
    expect(utc).toMatchObject({ time_zone: 'UTC', data_end: '2024-02-01' });
    expect(utc.cohorts.map((c) => [c.cohort, c.customers])).toEqual([['2024-01-01', 2]]);

    await setSetting(s, 'workspace.timezone', 'Pacific/Kiritimati');
    const kiri = await runCohorts(s, 'month', now);
    // 2024-01-31T23:30Z is 2024-02-01 13:30 local: February's cohort; the data end is the local midnight after it
    expect(kiri).toMatchObject({ time_zone: 'Pacific/Kiritimati', data_end: '2024-02-02' });
    expect(kiri.cohorts.map((c) => [c.cohort, c.customers])).toEqual([
      ['2024-01-01', 1],
      ['2024-02-01', 1],
    ]);
    expect(formatCohorts(kiri, 'customers')).toContain('Data end 2024-02-02 (periods and dates in Pacific/Kiritimati)');
    // an explicit zone wins over the setting
    expect((await runCohorts(s, 'month', now, 'UTC')).cohorts.map((c) => c.cohort)).toEqual(['2024-01-01']);
  });

  it('ISO weeks start at local Monday midnight, across the spring-forward change in New York', async () => {
    const s = await store();
    await insertOrders(s, [
      o('a', '2024-03-04T04:30:00Z'), // Sun 3 March 23:30 EST: week of Mon 26 February
      o('b', '2024-03-11T03:30:00Z'), // Sun 10 March 23:30 EDT (after the change): week of Mon 4 March
      o('c', '2024-03-11T04:30:00Z'), // Mon 11 March 00:30 EDT: week of Mon 11 March
    ]);
    const byUtc = await runCohorts(s, 'week', now);
    expect(byUtc.cohorts.map((c) => [c.cohort, c.customers])).toEqual([
      ['2024-03-04', 1],
      ['2024-03-11', 2],
    ]);
    await setSetting(s, 'workspace.timezone', 'America/New_York');
    const ny = await runCohorts(s, 'week', now);
    expect(ny.cohorts.map((c) => [c.cohort, c.customers])).toEqual([
      ['2024-02-26', 1],
      ['2024-03-04', 1],
      ['2024-03-11', 1],
    ]);
    // the week of 4 March is 167 hours long (00:00 EST on the 4th to 00:00 EDT on the 11th), yet one period
    expect(ny.cohorts[0]!.periods.map((p) => p.period)).toEqual([0, 1, 2]);
    // the latest order is on Monday 11 March (local): data run to the midnight after it, the start of the 12th
    expect(ny.data_end).toBe('2024-03-12');
    expect(ny.last_period_partial).toBe(true);
  });

  it('DuckDB (ICU) and Intl agree on the local month and week of random instants in five zones', async () => {
    // two independent implementations of the zone rules: the SQL's timezone() and the runtime's Intl
    const s = await store();
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const orders: OrderRecord[] = [];
    for (let i = 0; i < 400; i++) {
      // 2000..2030, and a tenth of them within an hour of a UTC midnight, where zones disagree most
      const ms = Date.UTC(2000, 0, 1) + Math.floor(rand() * 30 * 365.25) * 86_400_000 + (i % 10 === 0 ? 23 * 3_600_000 : Math.floor(rand() * 86_400_000));
      orders.push({ customerId: `c${i}`, kind: 'order', placedAt: new Date(ms), revenue: 1 });
    }
    await insertOrders(s, orders);
    for (const tz of ['Pacific/Kiritimati', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns']) {
      for (const unit of ['month', 'week'] as const) {
        const expected = new Map<string, number>();
        for (const x of orders) {
          const p = localParts(x.placedAt, tz);
          const date = localDate(x.placedAt, tz);
          const start = unit === 'month' ? `${date.slice(0, 7)}-01` : addDays(date, -((p.weekday + 6) % 7));
          expected.set(start, (expected.get(start) ?? 0) + 1);
        }
        const rows = await cohortSizes(s, unit, new Date('2100-01-01T00:00:00Z'), tz);
        expect(new Map(rows.map((r) => [r.cohort, Number(r.customers)])), `${tz} by ${unit}`).toEqual(expected);
      }
    }
  });
});

describe('the as-of of reports in the workspace time zone', () => {
  it('a date alone is midnight in the zone; a datetime keeps its offset', () => {
    // 2011-12-10 00:00 at UTC+14 is 2011-12-09T10:00Z
    expect(parseReportMoment('2011-12-10', 'Pacific/Kiritimati')).toEqual(new Date('2011-12-09T10:00:00Z'));
    expect(parseReportMoment('2011-12-10', 'UTC')).toEqual(new Date('2011-12-10T00:00:00Z'));
    expect(parseReportMoment('2011-12-10T15:00:00Z', 'Pacific/Kiritimati')).toEqual(new Date('2011-12-10T15:00:00Z'));
    expect(() => parseReportMoment('2011-02-30', 'Pacific/Kiritimati', '--as-of')).toThrow(/--as-of/);
    // printed back as the local date, so the printed as_of reads back to the same instant
    expect(formatMoment(new Date('2011-12-09T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2011-12-10');
    expect(formatMoment(new Date('2011-12-09T10:00:00Z'))).toBe('2011-12-09T10:00:00Z');
    expect(formatMoment(new Date('2011-12-10T00:00:00Z'), 'Pacific/Kiritimati')).toBe('2011-12-10T00:00:00Z');
  });

  it('the default as-of is midnight in the zone after the local day of the latest order, capped at the end of today there', async () => {
    const s = await store();
    await insertOrders(s, [o('a', '2024-01-31T23:30:00Z')]);
    expect(await defaultAsOf(s, now)).toEqual(new Date('2024-02-01T00:00:00Z'));
    // local day 2024-02-01 at UTC+14 ends at 2024-02-02 00:00 local = 2024-02-01T10:00Z
    expect(await defaultAsOf(s, now, 'Pacific/Kiritimati')).toEqual(new Date('2024-02-01T10:00:00Z'));
    // today (2024-01-31T12:00Z) is 2024-02-01 02:00 at +14: the cap is the same local midnight
    expect(await defaultAsOf(s, new Date('2024-01-31T12:00:00Z'), 'Pacific/Kiritimati')).toEqual(new Date('2024-02-01T10:00:00Z'));
    // in New York (EST) the order is on 31 January, 18:30: midnight after it is 2024-02-01T05:00Z
    expect(await defaultAsOf(s, now, 'America/New_York')).toEqual(new Date('2024-02-01T05:00:00Z'));
    await setSetting(s, 'workspace.timezone', 'Pacific/Kiritimati');
    expect(await resolveAsOf(s, undefined)).toEqual(new Date('2024-02-01T10:00:00Z'));
    expect(await resolveAsOf(s, '2024-03-01')).toEqual(new Date('2024-02-29T10:00:00Z'));
  });
});

describe('RFM in the workspace time zone', () => {
  it('prints its as-of as a local date and reads movement dates as local midnights', async () => {
    const s = await store();
    await insertOrders(s, [o('a', '2024-01-31T23:30:00Z'), o('b', '2024-01-15T12:00:00Z'), o('b', '2024-01-20T12:00:00Z')]);
    await setSetting(s, 'workspace.timezone', 'Pacific/Kiritimati');
    const asOf = await resolveAsOf(s, undefined);
    const rep = await runRfm(s, { asOf, table: DEFAULT_GROUPS_5 });
    expect(rep.as_of).toBe('2024-02-02');
    expect((await rfmGrid(s)).as_of).toBe('2024-02-02');
    // from 2024-02-01 00:00 local (2024-01-31T10:00Z): a's order 13.5 hours later is not yet placed, so a is new
    const tz = 'Pacific/Kiritimati';
    const mv = await rfmMovementReport(s, parseReportMoment('2024-02-01', tz), parseReportMoment('2024-02-02', tz), DEFAULT_GROUPS_5);
    expect(mv).toMatchObject({ from: '2024-02-01', to: '2024-02-02', customers_at_from: 1, customers_at_to: 2, new_customers: 1 });
  });
});

describe('the overview in the workspace time zone', () => {
  it('revenue windows are calendar days of the zone, 23-hour day included', async () => {
    const s = await store();
    await insertOrders(s, [
      o('a', '2024-03-20T12:00:00Z', 100), // the latest order: 20 March 08:00 EDT
      o('b', '2024-02-20T05:30:00Z', 10), // 20 February 00:30 EST: inside the last 30 local days
      o('c', '2024-02-20T04:30:00Z', 1), // 19 February 23:30 EST: the 30 days before
    ]);
    await setSetting(s, 'workspace.timezone', 'America/New_York');
    const r = await overview(s, undefined, { quality: false });
    // as_of: 21 March 00:00 EDT = 04:00Z, printed as its local date; the 30 days start 20 February 00:00 EST = 05:00Z
    expect(r).toMatchObject({ as_of: '2024-03-21', time_zone: 'America/New_York' });
    expect(r.revenue[0]).toMatchObject({ days: 30, current: 110, previous: 1, orders_current: 2, orders_previous: 1 });
    // 30 × 24 h would have started at 04:00Z and counted c's order as current
    await setSetting(s, 'workspace.timezone', 'UTC');
    const utc = await overview(s, undefined, { quality: false });
    expect(utc).toMatchObject({ as_of: '2024-03-21', time_zone: 'UTC' });
    expect(utc.revenue[0]).toMatchObject({ days: 30, current: 111, previous: 0 });
  });
});

// Recheck 7, N9: `config set workspace.timezone utc` kept "utc", and reports printed "(days of utc)".
describe('the workspace time zone is stored under its own name', () => {
  it('every spelling of UTC is UTC; a case slip takes the zone’s spelling; an alias stays as written', () => {
    for (const z of ['utc', 'UTC', 'Etc/UTC', 'etc/utc', 'GMT', 'Zulu']) expect(canonicalTimeZone(z), z).toBe('UTC');
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('AMERICA/NEW_YORK')).toBe('America/New_York');
    // ICU resolves Asia/Kolkata to the older Asia/Calcutta: the name the user knows is kept
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(() => canonicalTimeZone('Mars/Base')).toThrow(/is not a time zone/);
  });

  it('config set stores it, and the overview names no zone for utc (also one stored before, as typed)', async () => {
    const s = await store();
    await insertOrders(s, [o('a', '2024-03-20T12:00:00Z', 100)]);
    await setSetting(s, 'workspace.timezone', 'utc');
    expect(await settingValue(s, 'workspace.timezone')).toBe('UTC');
    await setSetting(s, 'workspace.timezone', 'europe/paris');
    expect(await settingValue(s, 'workspace.timezone')).toBe('Europe/Paris');
    await writeSetting(s, 'workspace.timezone', 'etc/utc', false, now); // as an older segmint stored it
    const r = await overview(s, undefined, { quality: false });
    expect(r.time_zone).toBe('UTC');
    expect(formatOverview(r)).not.toMatch(/days of/);
  });
});
