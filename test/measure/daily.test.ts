import { describe, expect, it, vi } from 'vitest';
import { DailyMeasureChecks } from '../../src/measure/daily.js';
import type { HealthReport } from '../../src/measure/health/check.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { storePerFile } from '../helpers/store.js';
import { loadShop } from './shop.js';

const db = storePerFile(async (store) => {
  await loadShop(store, [{ id: 'a', createdAt: new Date('2024-01-01T00:00:00Z') }], [{ customer: 'a', at: new Date('2024-03-05T10:00:00Z'), revenue: 10 }]);
  await createSegment(store, { name: 'buyers', definition: { query: 'orders_count >= 1' } }, new Date('2024-01-01T00:00:00Z'));
});

describe('the daily measurement job', () => {
  it('waits until a few minutes after the next UTC midnight', () => {
    expect(DailyMeasureChecks.untilNextRun(new Date('2024-03-08T12:00:00Z'))).toBe(12 * 3600_000 + 5 * 60_000);
    expect(DailyMeasureChecks.untilNextRun(new Date('2024-03-08T00:03:00Z'))).toBe(2 * 60_000);
    expect(DailyMeasureChecks.untilNextRun(new Date('2024-03-08T00:05:00Z'))).toBe(24 * 3600_000);
  });

  it('snapshots yesterday and checks health when its timer fires, then waits for the next day', async () => {
    let clock = new Date('2024-03-06T23:00:00Z');
    const timers: { fn: () => void; ms: number }[] = [];
    const reports: HealthReport[] = [];
    let reported: () => void = () => undefined;
    const job = new DailyMeasureChecks(db.store, {
      clock: () => clock,
      setTimer: (fn, ms) => {
        timers.push({ fn, ms });
        return {};
      },
      clearTimer: () => undefined,
      onReport: (r) => {
        reports.push(r);
        reported();
      },
      onError: (e) => {
        throw e;
      },
    });
    job.start();
    // The wait is armed once the workspace zone is read (UTC here).
    await vi.waitFor(() => expect(timers).toHaveLength(1));
    expect(timers[0]!.ms).toBe(65 * 60_000);
    clock = new Date('2024-03-07T00:05:00Z');
    await new Promise<void>((resolve) => {
      reported = resolve;
      timers[0]!.fn();
    });
    expect(reports[0]!.day).toBe('2024-03-06');
    const row = await db.store.one<{ size: number }>(`SELECT size FROM segment_kpis WHERE day = '2024-03-06'`);
    expect(row!.size).toBe(1);
    await vi.waitFor(() => expect(timers).toHaveLength(2));
    await job.stop();
  });
});
