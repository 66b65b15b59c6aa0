import type { Store } from '../../../store/db.js';
import type { ClvGrain } from '../../../store/queries/clv.js';
import { convergenceReport, type ClvFitReport } from '../fit/fit-report.js';
import { fitPurchases, type PurchaseFit } from '../fit/fit-purchases.js';
import { seededRandom } from '../../../numeric/random.js';
import { PARAM_NAMES, paramsRecord, type PurchaseModel } from '../models.js';
import { checkNextOrder, type NextOrderCheck } from '../next-order-check.js';
import { purchaseModel } from '../purchase-model.js';
import type { Summaries } from '../summary.js';
import { compareHoldout, type HoldoutComparison } from '../validate.js';
import { refuseAfterData } from './data-window.js';
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
  const fit = fitPurchases(model, data, seededRandom(seed ?? 1));
  return { model, ...compareHoldout(purchaseModel(fit.fitted), data, holdoutLength), fit: fitPart(model, fit) };
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
  if (o.holdoutEnd) refuseAfterData(o.holdoutEnd, probe.range, '--holdout-end');
  if (o.calibrationEnd) refuseAfterData(o.calibrationEnd, probe.range, '--calibration-end');
  const holdoutEnd = o.holdoutEnd ?? startOfDay(probe.range.last);
  const calibrationEnd =
    o.calibrationEnd ?? startOfDay(new Date((probe.range.first.getTime() + probe.range.last.getTime()) / 2));
  const { data, window } = await loadHistory(store, o.grain, o.timeUnit, { calibrationEnd, holdoutEnd });
  const unitDays = UNIT_DAYS[o.timeUnit];
  const length = (holdoutEnd.getTime() - window.calibrationEnd.getTime()) / DAY_MS / unitDays;
  const fit = fitPurchases(o.model, data, seededRandom(o.seed ?? 1));
  const view = purchaseModel(fit.fitted);
  return {
    model: o.model,
    calibration_end: day(window.calibrationEnd),
    holdout_end: day(holdoutEnd),
    time_unit: o.timeUnit,
    grain: o.grain,
    ...compareHoldout(view, data, length),
    fit: fitPart(o.model, fit),
    next_order: checkNextOrder(view, data, data.nextAfterEnd, length),
  };
}

/** Validation needs only the purchase model; the spend model is not fitted. */
function fitPart(model: PurchaseModel, f: PurchaseFit): ValidateReport['fit'] {
  return {
    params: paramsRecord(f.fitted),
    standard_errors: f.standardErrors,
    log_likelihood: f.logLikelihood,
    customers: f.customers,
    convergence: convergenceReport(f.convergence, PARAM_NAMES[model]),
    warnings: f.warnings,
  };
}
