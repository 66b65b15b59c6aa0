import { SegmintError } from '../../../domain/errors.js';
import type { Store } from '../../../store/db.js';
import type { ClvGrain } from '../../../store/queries/clv.js';
import { latestClvModel } from '../../../store/queries/clv-models.js';
import { replaceCustomerPredictions, type CustomerPredictionRow } from '../../../store/queries/clv-predictions.js';
import type { ChurnRisk } from '../churn-risk.js';
import type { ClvModels } from '../fit/fit-report.js';
import type { PurchaseModel } from '../models.js';
import { predictCustomer, type CustomerPrediction } from '../predict-customer.js';
import { purchaseModel } from '../purchase-model.js';
import { fitFromStore } from './fit-from-store.js';
import { day, loadHistory } from './load-history.js';
import { modelsFromRecord } from './models-from-record.js';
import { UNIT_DAYS, type TimeUnit } from './options.js';

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
  if (!record) {
    await fitFromStore(store, { model: o.model ?? 'bg-nbd', grain: 'day', timeUnit: 'week', ...(o.asOf ? { calibrationEnd: o.asOf } : {}) });
    record = await latestClvModel(store, o.model);
    fittedNow = true;
  }
  if (!record) throw new Error('a fit was just saved but cannot be read back');
  const models: ClvModels = modelsFromRecord(record);
  const grain = record.grain as ClvGrain;
  const timeUnit = record.time_unit as TimeUnit;
  const { data, window } = await loadHistory(store, grain, timeUnit, o.asOf ? { calibrationEnd: o.asOf } : {});
  const view = purchaseModel(models.purchases);
  const settings = { unitDays: UNIT_DAYS[timeUnit], horizonDays: o.horizonDays, annualDiscount: o.discount, asOf: window.calibrationEnd };
  const out: PredictionOut[] = [];
  const rows: CustomerPredictionRow[] = [];
  const bands: Record<ChurnRisk, number> = { low: 0, medium: 0, high: 0 };
  let purchases = 0;
  let clv = 0;
  for (let i = 0; i < data.ids.length; i++) {
    const c = { x: data.x[i] as number, tx: data.tx[i] as number, T: data.T[i] as number };
    const p: CustomerPrediction = predictCustomer(view, models.spend, c, data.mx[i] as number, settings);
    const id = data.ids[i] as string;
    bands[p.churnRisk]++;
    purchases += p.expectedPurchasesHorizon;
    clv += p.predictedClv ?? 0;
    out.push(toOut(id, c, p));
    rows.push({
      customer_id: id,
      as_of: window.calibrationEnd,
      model: record.model,
      model_id: record.model_id,
      expected_purchases_90d: p.expectedPurchases90d,
      p_alive: p.pAlive,
      churn_probability: p.churnProbability,
      churn_risk: p.churnRisk,
      expected_spend: p.expectedSpend,
      predicted_clv_365d: p.predictedClv365d,
      next_order_at: p.nextOrderAt,
    });
  }
  await replaceCustomerPredictions(store, rows);
  const report: PredictReport = {
    as_of: day(window.calibrationEnd),
    model: record.model as PurchaseModel,
    model_id: record.model_id,
    fitted_now: fittedNow,
    time_unit: timeUnit,
    grain,
    horizon_days: o.horizonDays,
    discount: o.discount,
    customers: data.ids.length,
    churn_risk: bands,
    totals: { expected_purchases_horizon: purchases, predicted_clv: models.spend ? clv : null },
    top: [...out].sort((a, b) => (b.predicted_clv ?? b.expected_purchases_horizon) - (a.predicted_clv ?? a.expected_purchases_horizon)).slice(0, 10),
  };
  if (o.customer !== undefined) {
    const found = out.find((p) => p.customer_id === o.customer);
    if (!found) {
      throw new SegmintError(
        'clv_unknown_customer',
        `No customer "${o.customer}" with an order on or before ${report.as_of}.`,
        { customer: o.customer, asOf: report.as_of },
        404,
      );
    }
    report.customer = found;
  }
  return report;
}

function toOut(id: string, c: { x: number; tx: number; T: number }, p: CustomerPrediction): PredictionOut {
  return {
    customer_id: id,
    x: c.x,
    t_x: c.tx,
    T: c.T,
    expected_purchases_90d: p.expectedPurchases90d,
    expected_purchases_horizon: p.expectedPurchasesHorizon,
    p_alive: p.pAlive,
    churn_probability: p.churnProbability,
    churn_risk: p.churnRisk,
    expected_spend: p.expectedSpend,
    predicted_clv: p.predictedClv,
    predicted_clv_365d: p.predictedClv365d,
    next_order_at: p.nextOrderAt ? p.nextOrderAt.toISOString().slice(0, 10) : null,
  };
}
