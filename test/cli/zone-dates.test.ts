import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../../src/config/settings.js';
import { experimentSummary } from '../../src/measure/experiments/words.js';
import type { ExperimentAnalysis } from '../../src/measure/experiments/analyze.js';
import { recordChoice } from '../../src/predict/recommend/method.js';
import { warningFor } from '../../src/segments/manage/stored-moments.js';
import { runCli } from '../helpers/cli.js';
import { shopifyShop } from '../helpers/shopify-shop.js';
import { tempStore } from '../helpers/store.js';

/*
 * Fix 9, item 2: dates told to a person in UTC where the workspace time zone decides (DESIGN.md: the
 * workspace time zone decides day boundaries in reports). The kind: a date printed or read for a person
 * by toISOString() / a UTC midnight instead of the zone's calendar (domain/time-zone.ts, localDate and
 * startOfLocalDay). Each case is a moment near midnight in a zone far from UTC, so the UTC day and the
 * zone's day differ, worked by hand:
 * - Pacific/Kiritimati is UTC+14 all year: 2024-04-01T12:00Z is 2024-04-02 02:00 there, and midnight
 *   starting 2024-04-01 there is 2024-03-31T10:00Z.
 * - America/St_Johns is UTC-2:30 in summer (NDT): 2024-06-02T02:00Z is 2024-06-01 23:30 there, and the
 *   end of 2024-06-01 there (a --split date) is 2024-06-02T02:29:59.999Z.
 */

describe('customers show --as-of and quality --as-of read a date alone in the workspace zone (Pacific/Kiritimati)', () => {
  let t: Awaited<ReturnType<typeof shopifyShop>>;
  beforeAll(async () => {
    t = await shopifyShop();
    await runCli(t.path, 'config', 'set', 'workspace.timezone', 'Pacific/Kiritimati');
  }, 120_000);
  afterAll(() => t.cleanup());

  it('customers show: as_of is midnight there, and the stored-moment warning names the days there', async () => {
    // jane's latest order: 2024-04-01 12:00 +0000 (the fixture), 2024-04-02 02:00 in Kiritimati
    const p = JSON.parse(await runCli(t.path, 'customers', 'show', 'jane@example.com', '--as-of', '2024-04-01', '--json')) as { as_of: string; warnings: { message: string }[] };
    expect(p.as_of).toBe('2024-03-31T10:00:00.000Z');
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]!.message).toContain('over every order up to 2024-04-02, later than this as-of (2024-04-01)');
    // a datetime keeps its own offset
    const q = JSON.parse(await runCli(t.path, 'customers', 'show', 'jane@example.com', '--as-of', '2024-04-01T00:00:00Z', '--json')) as { as_of: string };
    expect(q.as_of).toBe('2024-04-01T00:00:00.000Z');
  });

  it('quality: "in the future" is measured from midnight there', async () => {
    const r = JSON.parse(await runCli(t.path, 'quality', '--as-of', '2024-04-01', '--json')) as { as_of: string };
    expect(r.as_of).toBe('2024-03-31T10:00:00.000Z');
    await expect(runCli(t.path, 'quality', '--as-of', 'Apr 1 2024')).rejects.toThrow(/--as-of: "Apr 1 2024" is not a date or datetime/);
  });

  it('experiments analyze: the figures move until the day the last window ends there', async () => {
    // assigned at 2024-04-01T10:30Z: the 30-day windows end 2024-05-01T10:30Z, 2024-05-02 00:30 in Kiritimati
    await runCli(t.path, 'experiments', 'create', 'zone', '--segment', 'buyers', '--seed', 's', '--at', '2024-04-01T10:30:00Z');
    const a = JSON.parse(await runCli(t.path, 'experiments', 'analyze', 'zone', '--as-of', '2024-04-15T00:00:00Z', '--json')) as { window_ends_at: string; summary: string[] };
    expect(a.window_ends_at).toBe('2024-05-01T10:30:00.000Z');
    expect(a.summary.join(' ')).toContain('the figures will move until 2024-05-02.');
  });
});

describe('texts of moments, told in the zone', () => {
  it('stored-moment warnings: days of the zone, and full times when the zone puts both on one day (St Johns)', () => {
    // order 2024-06-02T02:00Z (23:30 on 06-01 there), as-of 2024-06-01T12:00Z (09:30 on 06-01 there):
    // different UTC days, the same day in St Johns, so the times tell them apart
    const [w] = warningFor({ table: 'customer_metrics', moment: new Date('2024-06-02T02:00:00Z') }, ['orders_count'], new Date('2024-06-01T12:00:00Z'), 'America/St_Johns');
    expect(w!.message).toContain('up to 2024-06-02T02:00:00Z, later than this as-of (2024-06-01T12:00:00Z)');
    const [utc] = warningFor({ table: 'customer_metrics', moment: new Date('2024-06-02T02:00:00Z') }, ['orders_count'], new Date('2024-06-01T12:00:00Z'));
    expect(utc!.message).toContain('up to 2024-06-02, later than this as-of (2024-06-01)');
  });

  it('stored-moment warnings: a snapshot of another day, with the command for the day meant (Kiritimati)', () => {
    // an RFM snapshot as of midnight starting 2024-02-01 there (2024-01-31T10:00Z), asked as of midnight starting 2024-02-05 there
    const [w] = warningFor({ table: 'customer_rfm', moment: new Date('2024-01-31T10:00:00Z') }, ['rfm.segment'], new Date('2024-02-04T10:00:00Z'), 'Pacific/Kiritimati');
    expect(w!.message).toBe('rfm.segment comes from the saved RFM snapshot as of 2024-02-01, not from this as-of (2024-02-05); run `segmint rfm --as-of 2024-02-05` first for values of that moment.');
    // CLV's days stay UTC days in every zone (docs/analytics.md), so its command names a UTC day
    const [clv] = warningFor({ table: 'customer_predictions', moment: new Date('2024-01-31T10:00:00Z') }, ['clv.p_alive'], new Date('2024-02-04T10:00:00Z'), 'Pacific/Kiritimati');
    expect(clv!.message).toContain('as of 2024-01-31, not from this as-of (2024-02-04); run `segmint clv predict --as-of 2024-02-04`');
  });

  it('experiment summary: the day the windows end, a moment just before midnight UTC', () => {
    const a = { customers: 10, complete_windows: 4, window_days: 30, srm_p_value: null, window_ends_at: new Date('2024-01-31T23:30:00Z'), metrics: [] } as unknown as Omit<ExperimentAnalysis, 'summary'>;
    expect(experimentSummary(a, 0.1, 'Pacific/Kiritimati').join(' ')).toContain('the figures will move until 2024-02-01.');
    expect(experimentSummary(a, 0.1, 'America/St_Johns').join(' ')).toContain('the figures will move until 2024-01-31.');
  });

  it("recommend: the split and the evaluation's day in the zone (St Johns)", async () => {
    const s = await tempStore();
    try {
      await setSetting(s.store, 'workspace.timezone', 'America/St_Johns');
      const evaluation = { split: '2024-06-02T02:29:59.999Z', n: 10, customers: 20, cooccurrence: { hits: 5, hitRate: 0.25 }, popularity: { hits: 2, hitRate: 0.1 } };
      const choice = await recordChoice(s.store, evaluation, new Date('2024-07-01T00:00:00Z'), new Date('2024-06-02T02:00:00Z'));
      expect(choice.reason).toContain("chosen by this shop's evaluation of 2024-06-01: on the next orders after 2024-06-01 (20 customers)");
    } finally {
      s.cleanup();
    }
  });
});
