import { describe, expect, it } from 'vitest';
import { formatOverview } from '../../../src/analytics/overview/format.js';
import { overview } from '../../../src/analytics/overview/overview.js';
import type { OrderRecord } from '../../../src/analytics/rfm/rfmInMemory.js';
import { liftPossible } from '../../../src/measure/experiments/analyze.js';
import { relativeLift, relativeLiftSe } from '../../../src/measure/stats/relative-lift.js';
import { relativeChange } from '../../../src/numeric/relative-change.js';
import { fmtChange, trendClass } from '../../../web/src/components/format.js';
import { storePerTest } from '../../helpers/store.js';
import { insertOrders } from '../helpers/orders.js';

/**
 * Trial 12, L5: ten orders of 4.00 on 2024-03-01 against a period before holding one −7.00 order (here on 2024-01-25) (a
 * refund in a quiet month) printed the change as −671.4% and the dashboard coloured it red, for a rise of
 * 47.00. A ratio to a base of 0 or below is no change in %: "-" in the text, null in JSON, the difference
 * in money on the dashboard, coloured by its own sign.
 */
const store = storePerTest();
const o = (customerId: string, at: string, revenue: number): OrderRecord => ({ customerId, kind: 'order', placedAt: new Date(at), revenue });

describe('a relative change against a base of 0 or below', () => {
  it('relativeChange: a ratio only over a positive base', () => {
    expect(relativeChange(40, 32)).toBe(0.25);
    expect(relativeChange(-7, 40)).toBeCloseTo(-1.175, 12); // a fall into a loss is still a fall
    expect(relativeChange(40, -7)).toBeNull();
    expect(relativeChange(40, 0)).toBeNull();
    expect(relativeChange(Number.NaN, 5)).toBeNull();
  });

  it('the overview: no ratio against a period before of −7.00, in JSON and in the text', async () => {
    const s = await store();
    const orders = Array.from({ length: 10 }, (_, i) => o(`c${i}`, '2024-03-01T12:00:00Z', 4));
    await insertOrders(s, [...orders, o('r', '2024-01-25T12:00:00Z', -7)]);
    const r = await overview(s, undefined, { quality: false });
    const w30 = r.revenue.find((w) => w.days === 30)!;
    expect(w30).toMatchObject({ current: 40, previous: -7, change: null });
    const line = formatOverview(r).split('\n').find((l) => l.startsWith('last 30 days'))!;
    expect(line).not.toContain('%');
    // The text shows the difference in money, as the dashboard does (trial 13, L1; it printed "-").
    expect(line.trim().endsWith('+47.00')).toBe(true);
  });

  it('trial 13, L1: the text gives the dashboard\'s signed difference in money when the period before is ≤ 0', async () => {
    const s = await store();
    // −50.00 on 2024-01-10, +20.00 on 2024-02-20 (the latest order: as-of midnight after 2024-02-20).
    await insertOrders(s, [o('v1', '2024-01-10T10:00:00Z', -50), o('v1', '2024-02-20T10:00:00Z', 20)]);
    const r = await overview(s, undefined, { quality: false });
    const cells = (days: number): string => formatOverview(r).split('\n').find((l) => l.startsWith(`last ${days} days`))!.trim().split(/\s{2,}/).at(-1)!;
    expect(cells(30)).toBe('+70.00'); // 20.00 against −50.00
    expect(cells(90)).toBe('-30.00'); // −30.00 against 0.00
    for (const w of r.revenue) {
      // The same figure as the dashboard's card, its minus sign (U+2212) aside.
      expect(fmtChange(w.change, w.current - w.previous).replace('−', '-')).toBe(cells(w.days));
    }
  });

  it('the dashboard: the difference in money, coloured by the sign of the difference', () => {
    // What the Overview card shows for each window: fmtChange(change, current − previous), class trendClass(current − previous).
    expect(fmtChange(null, 40 - -7)).toBe('+47.00');
    expect(trendClass(40 - -7)).toBe('up');
    expect(fmtChange(null, -20 - -7)).toBe('−13.00');
    expect(trendClass(-20 - -7)).toBe('down');
    expect(fmtChange(null, 0)).toBe('no earlier revenue');
    expect(trendClass(0)).toBe('');
    expect(fmtChange(-0.25, 30 - 40)).toBe('−25.0%');
    expect(trendClass(30 - 40)).toBe('down');
  });

  it('experiments and workflow holdouts: no relative lift, interval or power against a control value ≤ 0', () => {
    // A control mean of −7 (refunds) and a treatment of +40: m1/m0 − 1 would be −671%, a "fall".
    expect(relativeLift(40, 4, -7, 4, 1.96)).toEqual({ estimate: null, ci95: [null, null] });
    expect(relativeLiftSe(40, 4, -7, 4)).toBeNull();
    expect(relativeLift(40, 4, 0, 4, 1.96).estimate).toBeNull();
    expect(relativeLift(40, 4, 32, 4, 1.96).estimate).toBeCloseTo(0.25, 12);
    expect(liftPossible('mean', -7, 0.1)).toBe(false);
    expect(liftPossible('mean', 7, 0.1)).toBe(true);
  });
});
