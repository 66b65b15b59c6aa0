import { randomUUID } from 'node:crypto';
import type { Store } from '../../../store/db.js';
import type { ClvGrain } from '../../../store/queries/clv.js';
import { saveClvModel } from '../../../store/queries/clv-models.js';
import { fitClv, type ClvFitReport, type ClvModels } from '../fit/fit-report.js';
import type { PurchaseModel } from '../models.js';
import { refuseAfterData } from './data-window.js';
import { day, loadHistory } from './load-history.js';
import type { TimeUnit } from './options.js';

export interface StoreFitOptions {
  readonly model: PurchaseModel;
  readonly grain: ClvGrain;
  readonly timeUnit: TimeUnit;
  readonly calibrationEnd?: Date;
  readonly seed?: number;
}

export type StoreFitReport = ClvFitReport & {
  model_id: string;
  grain: ClvGrain;
  time_unit: TimeUnit;
  calibration_end: string;
  /** Transactions in the calibration period: first purchases plus repeat ones. */
  repeat_transactions: number;
};

/**
 * Fits the lifetime-value models to the store's orders up to the calibration end and saves the fit. A
 * calibration end after the latest order is refused (refuseAfterData), as is too little data (fitPurchases).
 */
export async function fitFromStore(store: Store, o: StoreFitOptions): Promise<{ report: StoreFitReport; models: ClvModels }> {
  const { data, window, range } = await loadHistory(store, o.grain, o.timeUnit, o.calibrationEnd ? { calibrationEnd: o.calibrationEnd } : {});
  // Before the fit, so nothing past the data is ever saved as the latest fit.
  refuseAfterData(window.calibrationEnd, range, '--calibration-end');
  const { report, models } = fitClv(o.model, data, o.seed);
  const full: StoreFitReport = {
    model_id: randomUUID(),
    grain: o.grain,
    time_unit: o.timeUnit,
    calibration_end: day(window.calibrationEnd),
    repeat_transactions: data.x.reduce((s, v) => s + v, 0),
    ...report,
  };
  await saveClvModel(store, {
    model_id: full.model_id,
    fitted_at: new Date(),
    model: o.model,
    grain: o.grain,
    time_unit: o.timeUnit,
    calibration_end: window.calibrationEnd,
    customers: report.customers,
    log_likelihood: report.log_likelihood,
    params: report.params,
    spend_params: report.spend ? { p: report.spend.p, q: report.spend.q, gamma: report.spend.gamma } : null,
    report: full,
  });
  return { report: full, models };
}
