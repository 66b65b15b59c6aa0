import { describe, expect, it } from 'vitest';
import { midnightAfter, shiftDays, startOfDay } from '../../src/domain/days.js';

// Day boundaries in a named zone, answers worked out by hand from the zone rules (IANA tzdata):
// - America/New_York: UTC−5 (EST), UTC−4 (EDT) from the second Sunday of March at 02:00 to the first
//   Sunday of November at 02:00 (US Energy Policy Act of 2005). In 2024: 10 March and 3 November.
// - Pacific/Kiritimati: UTC+14 since the day skipped at the end of 1994.
// The suite runs under TZ=America/New_York and TZ=Asia/Tokyo as well (vitest.config.ts): the process's
// own zone must change nothing.
const t = (iso: string) => new Date(iso);

describe('days in a zone', () => {
  it('UTC is the default and keeps 24-hour days', () => {
    expect(startOfDay(t('2024-03-10T12:34:56.789Z'))).toEqual(t('2024-03-10T00:00:00Z'));
    expect(midnightAfter(t('2024-03-10T12:34:56.789Z'))).toEqual(t('2024-03-11T00:00:00Z'));
    expect(shiftDays(t('2024-03-21T00:00:00Z'), -30)).toEqual(t('2024-02-20T00:00:00Z'));
  });

  it('the spring-forward day in New York is 23 hours long', () => {
    // 10 March 2024 starts at 00:00 EST = 05:00Z and ends at 00:00 EDT on the 11th = 04:00Z
    const noon = t('2024-03-10T16:00:00Z');
    expect(startOfDay(noon, 'America/New_York')).toEqual(t('2024-03-10T05:00:00Z'));
    expect(midnightAfter(noon, 'America/New_York')).toEqual(t('2024-03-11T04:00:00Z'));
    expect(midnightAfter(noon, 'America/New_York').getTime() - startOfDay(noon, 'America/New_York').getTime()).toBe(23 * 3_600_000);
  });

  it('the fall-back day in New York is 25 hours long', () => {
    // 3 November 2024 starts at 00:00 EDT = 04:00Z and ends at 00:00 EST on the 4th = 05:00Z
    const noon = t('2024-11-03T17:00:00Z');
    expect(startOfDay(noon, 'America/New_York')).toEqual(t('2024-11-03T04:00:00Z'));
    expect(midnightAfter(noon, 'America/New_York')).toEqual(t('2024-11-04T05:00:00Z'));
  });

  it('a day whose midnight is skipped starts when the clock jumps (America/Havana)', () => {
    // Cuba springs forward at 00:00 standard time on the second Sunday of March (tzdata "Rule Cuba 2013
    // max Mar Sun>=8 0:00s"): 10 March 2024 has no 00:00; it starts at 01:00 CDT = 05:00Z and ends at
    // 00:00 CDT on the 11th = 04:00Z (23 hours); the 9th began at 00:00 CST = 05:00Z.
    expect(startOfDay(t('2024-03-10T12:00:00Z'), 'America/Havana')).toEqual(t('2024-03-10T05:00:00Z'));
    expect(midnightAfter(t('2024-03-10T12:00:00Z'), 'America/Havana')).toEqual(t('2024-03-11T04:00:00Z'));
    expect(startOfDay(t('2024-03-09T12:00:00Z'), 'America/Havana')).toEqual(t('2024-03-09T05:00:00Z'));
    expect(midnightAfter(t('2024-03-09T12:00:00Z'), 'America/Havana')).toEqual(t('2024-03-10T05:00:00Z'));
  });

  it('an instant late in the UTC day is already the next day at UTC+14', () => {
    // 2024-01-31T23:30Z is 2024-02-01 13:30 in Kiritimati: its day began at 2024-01-31T10:00Z
    expect(startOfDay(t('2024-01-31T23:30:00Z'), 'Pacific/Kiritimati')).toEqual(t('2024-01-31T10:00:00Z'));
    expect(midnightAfter(t('2024-01-31T23:30:00Z'), 'Pacific/Kiritimati')).toEqual(t('2024-02-01T10:00:00Z'));
  });

  it('shifting by calendar days keeps a local midnight a local midnight across a clock change', () => {
    // 21 March 2024 00:00 EDT = 04:00Z; 30 days before is 20 February 00:00 EST = 05:00Z (719 hours, not 720)
    expect(shiftDays(t('2024-03-21T04:00:00Z'), -30, 'America/New_York')).toEqual(t('2024-02-20T05:00:00Z'));
    expect(shiftDays(t('2024-03-21T04:00:00Z'), -60, 'America/New_York')).toEqual(t('2024-01-21T05:00:00Z'));
    // seconds and milliseconds are kept
    expect(shiftDays(t('2024-03-21T04:00:07.250Z'), -1, 'America/New_York')).toEqual(t('2024-03-20T04:00:07.250Z'));
  });
});
