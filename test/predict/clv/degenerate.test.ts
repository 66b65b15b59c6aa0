import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { nextOrderLines, predictText, validateText } from '../../../src/predict/clv/report-text.js';
import { fitFromStore } from '../../../src/predict/clv/run/fit-from-store.js';
import { predictFromStore } from '../../../src/predict/clv/run/predict-from-store.js';
import { validateFromStore } from '../../../src/predict/clv/run/validate-run.js';
import type { Store } from '../../../src/store/db.js';
import { latestClvModel } from '../../../src/store/queries/clv-models.js';
import { orderTimeRange } from '../../../src/store/queries/clv.js';
import { insertOrders, seedShop } from '../../fixtures/predict/shop.js';
import { runCli } from '../../helpers/cli.js';
import { storePerTest, tempStore } from '../../helpers/store.js';

const fit = (store: Store, calibrationEnd?: Date) =>
  fitFromStore(store, { model: 'bg-nbd', grain: 'day', timeUnit: 'week', ...(calibrationEnd ? { calibrationEnd } : {}) });
const one = (customerId: string, day: string, k = 0) => ({ orderId: `${customerId}-${k}`, customerId, placedAt: new Date(`${day}T12:00:00Z`), products: ['p'] });

describe('lifetime value on degenerate inputs: a refusal that says why', () => {
  const store = storePerTest();

  it('an empty store: fit, predict and validate say to import orders first', async () => {
    const s = await store();
    for (const run of [() => fit(s), () => predictFromStore(s, { horizonDays: 365, discount: 0.1 }), () => validateFromStore(s, { model: 'bg-nbd', grain: 'day', timeUnit: 'week' })]) {
      await expect(run()).rejects.toMatchObject({ code: 'clv_no_orders', message: expect.stringContaining('import orders first') });
    }
  });

  it('one customer, or no repeat buyer: the fit is refused and nothing is saved', async () => {
    const s = await store();
    await insertOrders(s, [one('solo', '2024-01-01'), one('solo', '2024-02-01', 1)]);
    await expect(fit(s)).rejects.toMatchObject({ code: 'clv_too_few_customers' });
    await insertOrders(s, Array.from({ length: 60 }, (_, i) => one(`once${i}`, `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`)));
    // solo's second order is after the calibration end of 2024-01-31: in calibration nobody bought twice
    await expect(fit(s, new Date('2024-01-31T00:00:00Z'))).rejects.toMatchObject({
      code: 'clv_no_repeat_buyers',
      message: expect.stringMatching(/none of the 61 customers bought again in the calibration period/),
    });
    expect(await latestClvModel(s)).toBeUndefined();
  });
});

describe('lifetime value past the end of the data, and a holdout without purchases', () => {
  let s: Store;
  let db: string;
  let cleanup: () => void;
  let lastDay: string;
  beforeAll(async () => {
    const t = await tempStore();
    ({ store: s, path: db, cleanup } = t);
    await seedShop(s, { customers: 300, seed: 11, days: 200 });
    lastDay = (await orderTimeRange(s))!.last.toISOString().slice(0, 10);
    // One new customer a month after everyone else: the only order after the cohort's last one.
    await insertOrders(s, [one('newcomer', new Date(Date.parse(`${lastDay}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10))]);
    await s.run("INSERT INTO identities VALUES ('external:shop', '4', 'c00004', now())");
  });
  afterAll(() => cleanup());

  it('refuses a calibration end after the latest order, and saves no fit (clv fit --calibration-end 2030-01-01)', async () => {
    await expect(fit(s, new Date('2030-01-01T00:00:00Z'))).rejects.toMatchObject({
      code: 'clv_after_data',
      message: expect.stringMatching(/^--calibration-end 2030-01-01 is after the latest order \(\d{4}-\d{2}-\d{2}\): the days in between have no data/),
    });
    expect(await latestClvModel(s)).toBeUndefined();
    await expect(validateFromStore(s, { model: 'bg-nbd', grain: 'day', timeUnit: 'week', holdoutEnd: new Date('2030-01-01T00:00:00Z') })).rejects.toMatchObject({
      code: 'clv_after_data',
    });
    await expect(runCli(db, 'clv', 'fit', '--calibration-end', '2030-01-01')).rejects.toMatchObject({ code: 'clv_after_data' });
  });

  it('a holdout where nobody bought: totals compared with zero, a warning, never NaN', async () => {
    const r = await validateFromStore(s, { model: 'bg-nbd', grain: 'day', timeUnit: 'week', calibrationEnd: new Date(`${lastDay}T00:00:00Z`) });
    expect(r.totals.actual).toBe(0);
    expect(r.total_error).toEqual({ model: null, naive: null });
    expect(r.warnings[0]).toMatch(/^No customer bought in the holdout, so the total error cannot be a share of the actual purchases; the model expected \d+\.\d\./);
    const text = validateText(r);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(text).toContain('total error: none (no purchases in the holdout to compare with)');
    expect(JSON.stringify(r)).not.toContain('NaN');
  });

  it('clv predict --customer takes any identifier through the one resolver, like customers show', async () => {
    const byExternal = JSON.parse(await runCli(db, 'clv', 'predict', '--customer', '4', '--json'));
    expect(byExternal.customer_id).toBe('c00004');
    const shown = JSON.parse(await runCli(db, 'customers', 'show', '4', '--json'));
    expect(shown.customer_id).toBe('c00004');
    await expect(runCli(db, 'clv', 'predict', '--customer', 'nobody')).rejects.toMatchObject({ code: 'customer_not_found' });
    await expect(runCli(db, 'clv', 'predict', '--customer', 'newcomer', '--as-of', lastDay)).rejects.toThrow(
      `Customer newcomer has no order on or before ${lastDay}, so there is no history to predict from.`,
    );
  });

  it('clv predict warns of an --as-of after the latest order, and only then', async () => {
    let err = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
    try {
      // Without --as-of the latest order's day is used: nothing to warn about.
      await runCli(db, 'clv', 'predict', '--json');
      expect(err).toBe('');
      // The newcomer's order, 30 days after lastDay, is the latest; 10 days after it:
      const late = new Date(Date.parse(`${lastDay}T00:00:00Z`) + 40 * 86_400_000).toISOString().slice(0, 10);
      const newcomerDay = new Date(Date.parse(`${lastDay}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
      await runCli(db, 'clv', 'predict', '--as-of', late, '--json');
      expect(err).toBe(
        `warning: --as-of ${late} is 10 days after the day of the latest order (${newcomerDay}); the model reads those days as days without purchases. ` +
          `--as-of is a day, included: for the moment right after the data, give --as-of ${newcomerDay} (the default); if newer orders exist, import them first.\n`,
      );
    } finally {
      spy.mockRestore();
    }
  });

  it('words every branch of the next-order check', () => {
    const base = { dated_within_holdout: 0, bought_by_date: null, dated_beyond_holdout: 3, undated: 0, undated_bought: null, median_absolute_error: null };
    expect(nextOrderLines(base, 'week')).toEqual([
      'next order date: no customer dated within the holdout;',
      '  3 dated beyond it; none undated; no dated customer bought in the holdout',
    ]);
    expect(nextOrderLines({ ...base, dated_within_holdout: 1, bought_by_date: 1, undated: 4, undated_bought: 0.25, median_absolute_error: 2.5 }, 'week')).toEqual([
      'next order date: 1 customer dated within the holdout, 100.0% of them bought by the date (≈ 50% expected);',
      '  3 dated beyond it; 4 undated, of whom 25.0% bought in the holdout; median |date error| 2.5 weeks',
    ]);
    expect(nextOrderLines({ ...base, dated_within_holdout: 2, bought_by_date: 0.5, median_absolute_error: 1 }, undefined)[1]).toBe('  3 dated beyond it; none undated; median |date error| 1');
  });
});

/**
 * Trial 7, D9: with no fit stored, `clv predict --as-of` a day after the data fitted with that day as
 * calibration end, which the fit refuses, so the command failed naming `--calibration-end`, an option
 * not given. The fit made for the prediction learns up to the latest order's day; the prediction is as
 * of the day asked, with the warning that names --as-of.
 */
describe('clv predict --as-of the day after the data, with no fit stored yet', () => {
  const store = storePerTest();

  it('fits on the orders up to the latest order day and predicts as of the day asked', async () => {
    const s = await store();
    await seedShop(s, { customers: 200, seed: 5, days: 200 });
    const last = (await orderTimeRange(s))!.last;
    const lastDay = last.toISOString().slice(0, 10);
    const nextDay = new Date(Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000);
    const r = await predictFromStore(s, { asOf: nextDay, horizonDays: 365, discount: 0.1 });
    expect(r).toMatchObject({ as_of: nextDay.toISOString().slice(0, 10), fitted_now: true, fit_calibration_end: lastDay });
    expect((await latestClvModel(s))!.calibration_end.toISOString().slice(0, 10)).toBe(lastDay);
    expect(predictText(r).split('\n')[0]).toContain(`predicted as of ${nextDay.toISOString().slice(0, 10)} with bg-nbd (fitted now, on the orders up to ${lastDay})`);
    // As of the data's own last day, the fit is calibrated there as before.
    const t = await tempStore();
    try {
      await seedShop(t.store, { customers: 200, seed: 5, days: 200 });
      expect(await predictFromStore(t.store, { asOf: new Date(`${lastDay}T00:00:00Z`), horizonDays: 365, discount: 0.1 })).toMatchObject({ as_of: lastDay, fit_calibration_end: lastDay });
    } finally {
      t.cleanup();
    }
  });
});
