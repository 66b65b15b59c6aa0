import type { Store } from '../../../store/db.js';
import type { ClvGrain } from '../../../store/queries/clv.js';
import { fitClv, type ClvFitReport } from '../fit/fit-report.js';
import type { PurchaseModel } from '../models.js';
import { checkNextOrder, type NextOrderCheck } from '../next-order-check.js';
import { purchaseModel } from '../purchase-model.js';
import type { Summaries } from '../summary.js';
import { compareHoldout, type HoldoutComparison } from '../validate.js';
import { day, loadHistory } from './load-history.js';
import { DAY_MS, UNIT_DAYS, startOfDay, type TimeUnit } from './options.js';

export interface ValidateReport extends HoldoutComparison {
  model: PurchaseModel;
  calibration_end?: string;
  holdout_end?: string;
  time_unit?: TimeUnit;
  grain?: ClvGrain;
  fit: Pick<ClvFitReport, 'params' | 'standard_errors' | 'log_likelihood' | 'customers' | 'convergence' | 'warnings'>;
  next_order?: NextOrderCheck;
}

/** Validates on summaries that already carry holdout counts (a summary CSV with x.star). */
export function validateSummaries(model: PurchaseModel, data: Summaries, holdoutLength: number, seed?: number): ValidateReport {
  const { report, models } = fitClv(model, data, seed);
  return { model, ...compareHoldout(purchaseModel(models.purchases), data, holdoutLength), fit: fitPart(report) };
}

/**
 * Fits on the store's orders up to the calibration end and compares with what happened up to the holdout
 * end (default: the day of the latest order). Without a calibration end, the midpoint of the order history.
 */
export async function validateFromStore(
  store: Store,
  o: { model: PurchaseModel; grain: ClvGrain; timeUnit: TimeUnit; calibrationEnd?: Date; holdoutEnd?: Date; seed?: number },
): Promise<ValidateReport> {
  const probe = await loadHistory(store, o.grain, o.timeUnit, {});
  const holdoutEnd = o.holdoutEnd ?? startOfDay(probe.range.last);
  const calibrationEnd =
    o.calibrationEnd ?? startOfDay(new Date((probe.range.first.getTime() + probe.range.last.getTime()) / 2));
  const { data, window } = await loadHistory(store, o.grain, o.timeUnit, { calibrationEnd, holdoutEnd });
  const unitDays = UNIT_DAYS[o.timeUnit];
  const length = (holdoutEnd.getTime() - window.calibrationEnd.getTime()) / DAY_MS / unitDays;
  const { report, models } = fitClv(o.model, data, o.seed);
  const view = purchaseModel(models.purchases);
  return {
    model: o.model,
    calibration_end: day(window.calibrationEnd),
    holdout_end: day(holdoutEnd),
    time_unit: o.timeUnit,
    grain: o.grain,
    ...compareHoldout(view, data, length),
    fit: fitPart(report),
    next_order: checkNextOrder(view, data, data.nextAfterEnd, length),
  };
}

function fitPart(r: ClvFitReport): ValidateReport['fit'] {
  return {
    params: r.params,
    standard_errors: r.standard_errors,
    log_likelihood: r.log_likelihood,
    customers: r.customers,
    convergence: r.convergence,
    warnings: r.warnings,
  };
}
