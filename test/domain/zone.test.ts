import { describe, expect, it } from 'vitest';

// The zone projects of vitest.config.ts set TZ for their workers: this checks the zone is in force, so a
// suite run "under New York" really runs there.
const offsets: Record<string, number> = { 'America/New_York': 300, 'Asia/Tokyo': -540 };

describe('the process time zone', () => {
  const zone = process.env.TZ;
  it.runIf(zone !== undefined && zone in offsets)(`is the zone its project sets (${zone ?? 'none here: runs in the zone projects only'})`, () => {
    // 1 January 2024, local midnight: New York is 5 h behind UTC, Tokyo 9 h ahead.
    expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(offsets[zone!]);
  });
  it('reads a zone-less timestamp as UTC whatever the zone', async () => {
    const { parseInstant } = await import('../../src/domain/timestamp.js');
    expect(new Date(parseInstant('2024-05-01T10:00:00')!).toISOString()).toBe('2024-05-01T10:00:00.000Z');
  });
});
