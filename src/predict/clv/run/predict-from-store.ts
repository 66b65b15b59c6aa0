import { SegmintError } from '../../../domain/errors.js';
import type { Store } from '../../../store/db.js';
import { orderTimeRange, type ClvGrain } from '../../../store/queries/clv.js';
import { latestClvModel } from '../../../store/queries/clv-models.js';
import { replaceCustomerPredictionColumns } from '../../../store/queries/clv-predictions.js';
import { dropStaged, stagedPosition, stagedText, type Staged } from '../../../store/queries/staged.js';
import { CHURN_RISKS, type ChurnRisk } from '../churn-risk.js';
import type { ClvModels } from '../fit/fit-report.js';
import type { PurchaseModel } from '../models.js';
import { predictBase, type PredictionColumns } from '../predict-base.js';
import { purchaseModel } from '../purchase-model.js';
import type { Summaries } from '../summary.js';
import { fitFromStore } from './fit-from-store.js';
import { day, loadHistory } from './load-history.js';
import { modelsFromRecord } from './models-from-record.js';
import { startOfDay, UNIT_DAYS, type TimeUnit } from './options.js';

export interface StorePredictOptions {
  readonly asOf?: Date;
  readonly horizonDays: number;
  readonly discount: number;
  readonly customer?: string;
  /** Use the latest fit of this model; without a fit, one is made (BG/NBD by default). */
  readonly model?: PurchaseModel;
}

export interface PredictionOut {
  customer_id: string;
  x: number;
  t_x: number;
  T: number;
  expected_purchases_90d: number;
  expected_purchases_horizon: number;
  p_alive: number;
  churn_probability: number;
  churn_risk: ChurnRisk;
  expected_spend: number | null;
  predicted_clv: number | null;
  predicted_clv_365d: number | null;
  next_order_at: string | null;
}

export interface PredictReport {
  as_of: string;
  model: PurchaseModel;
  model_id: string;
  /** True when no fit was stored and one was made for this run. */
  fitted_now: boolean;
  /** With fitted_now: the last day the fit learnt from (the as-of day, or the latest order's day when the as-of is later). */
  fit_calibration_end?: string;
  time_unit: TimeUnit;
  grain: ClvGrain;
  horizon_days: number;
  discount: number;
  customers: number;
  churn_risk: Record<ChurnRisk, number>;
  totals: { expected_purchases_horizon: number; predicted_clv: number | null };
  top: PredictionOut[];
  customer?: PredictionOut;
}

/**
 * Predicts every customer as of a day with the latest stored fit and replaces customer_predictions.
 * The fit's parameters describe the population; each customer's history is recut to the as-of day.
 */
export async function predictFromStore(store: Store, o: StorePredictOptions): Promise<PredictReport> {
  let record = await latestClvModel(store, o.model);
  let fittedNow = false;
  let fitEnd: Date | undefined;
  if (!record) {
    fitEnd = o.asOf ? await fitEndFor(store, o.asOf) : undefined;
    await fitFromStore(store, { model: o.model ?? 'bg-nbd', grain: 'day', timeUnit: 'week', ...(fitEnd ? { calibrationEnd: fitEnd } : {}) });
    record = await latestClvModel(store, o.model);
    fittedNow = true;
  }
  if (!record) throw new Error('a fit was just saved but cannot be read back');
  const models: ClvModels = modelsFromRecord(record);
  const grain = record.grain as ClvGrain;
  const timeUnit = record.time_unit as TimeUnit;
  // Customer ids stay in the database: predictions are written by position and only shown ids are read.
  const { data, window, staged } = await loadHistory(store, grain, timeUnit, o.asOf ? { calibrationEnd: o.asOf } : {}, true);
  if (!staged) throw new Error('loadHistory did not stage the histories');
  try {
    const view = purchaseModel(models.purchases);
    const settings = { unitDays: UNIT_DAYS[timeUnit], horizonDays: o.horizonDays, annualDiscount: o.discount, asOf: window.calibrationEnd };
    const p = predictBase(view, models.spend, data, settings);
    const bands: Record<ChurnRisk, number> = { low: 0, medium: 0, high: 0 };
    let purchases = 0;
    let clv = 0;
    for (let i = 0; i < p.size; i++) {
      bands[CHURN_RISKS[p.churnRisk[i] as number] as ChurnRisk]++;
      purchases += p.expectedPurchasesHorizon[i] as number;
      clv += p.hasSpend[i] ? (p.predictedClv[i] as number) : 0;
    }
    await savePredictions(store, staged, { asOf: window.calibrationEnd, model: record.model, modelId: record.model_id }, p);
    const top = topCustomers(p, 10);
    const topIds = await stagedText(store, staged, 'customer_id', top);
    const report: PredictReport = {
      as_of: day(window.calibrationEnd),
      model: record.model as PurchaseModel,
      model_id: record.model_id,
      fitted_now: fittedNow,
      ...(fittedNow ? { fit_calibration_end: day(record.calibration_end) } : {}),
      time_unit: timeUnit,
      grain,
      horizon_days: o.horizonDays,
      discount: o.discount,
      customers: p.size,
      churn_risk: bands,
      totals: { expected_purchases_horizon: purchases, predicted_clv: models.spend ? clv : null },
      top: top.map((i, k) => toOut(topIds[k] as string, data, p, i)),
    };
    if (o.customer !== undefined) {
      const at = await stagedPosition(store, staged, 'customer_id', o.customer);
      if (at === undefined) {
        throw new SegmintError(
          'clv_unknown_customer',
          `No customer "${o.customer}" with an order on or before ${report.as_of}.`,
          { customer: o.customer, asOf: report.as_of },
          404,
        );
      }
      report.customer = toOut(o.customer, data, p, at);
    }
    return report;
  } finally {
    await dropStaged(store, staged);
  }
}

/**
 * Replaces customer_predictions with the columns of predictBase, row i being the i-th customer of the
 * staged histories (loadHistory(..., true)); `as_of`, model and fit id are the same on every row.
 */
export function savePredictions(
  store: Store,
  staged: Staged,
  fit: { readonly asOf: Date; readonly model: string; readonly modelId: string },
  p: PredictionColumns,
): Promise<void> {
  return replaceCustomerPredictionColumns(store, {
    ...fit,
    customers: staged,
    expectedPurchases90d: p.expectedPurchases90d,
    pAlive: p.pAlive,
    churnProbability: p.churnProbability,
    churnRisk: p.churnRisk,
    churnRiskNames: CHURN_RISKS,
    hasSpend: p.hasSpend,
    expectedSpend: p.expectedSpend,
    predictedClv365d: p.predictedClv365d,
    nextOrderMs: p.nextOrderMs,
  });
}

/**
 * The k customers with the highest predicted CLV (expected purchases over the horizon without a spend
 * model), best first; ties keep customer order, as a stable sort would.
 */
function topCustomers(p: PredictionColumns, k: number): number[] {
  const key = (i: number) => (p.hasSpend[i] ? (p.predictedClv[i] as number) : (p.expectedPurchasesHorizon[i] as number));
  const top: number[] = [];
  for (let i = 0; i < p.size; i++) {
    const v = key(i);
    if (top.length === k && !(v > key(top[k - 1] as number))) continue;
    // Insert after every kept customer with a key at least as high (earlier customers win ties).
    let at = top.length;
    while (at > 0 && v > key(top[at - 1] as number)) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}

function toOut(customerId: string, d: Summaries, p: PredictionColumns, i: number): PredictionOut {
  const next = p.nextOrderMs[i] as number;
  return {
    customer_id: customerId,
    x: d.x[i] as number,
    t_x: d.tx[i] as number,
    T: d.T[i] as number,
    expected_purchases_90d: p.expectedPurchases90d[i] as number,
    expected_purchases_horizon: p.expectedPurchasesHorizon[i] as number,
    p_alive: p.pAlive[i] as number,
    churn_probability: p.churnProbability[i] as number,
    churn_risk: CHURN_RISKS[p.churnRisk[i] as number] as ChurnRisk,
    expected_spend: p.hasSpend[i] ? (p.expectedSpend[i] as number) : null,
    predicted_clv: p.hasSpend[i] ? (p.predictedClv[i] as number) : null,
    predicted_clv_365d: p.hasSpend[i] ? (p.predictedClv365d[i] as number) : null,
    next_order_at: Number.isNaN(next) ? null : new Date(next).toISOString().slice(0, 10),
  };
}

/**
 * The calibration end of a fit made for a prediction as of `asOf`: that day, or the day of the latest
 * order when the as-of is later. The fit refuses days after the data (refuseAfterData: everyone would look
 * lapsed, and the fit would be saved as the latest); the prediction as of a later day is still made, each
 * customer's days after the data counting as days without purchases (the CLI warns). Trial 7, D9: `clv
 * predict --as-of 2011-12-10` on data ending 2011-12-09 failed naming `--calibration-end`, not given.
 */
async function fitEndFor(store: Store, asOf: Date): Promise<Date> {
  const range = await orderTimeRange(store);
  if (!range) return asOf;
  const lastDay = startOfDay(range.last);
  return asOf.getTime() > lastDay.getTime() ? lastDay : asOf;
}
