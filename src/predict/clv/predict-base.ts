import { CHURN_RISKS } from './churn-risk.js';
import type { GammaGammaParams } from './gamma-gamma/log-likelihood.js';
import { expectedSpendOf, predictHistory, type PredictionSettings } from './predict-customer.js';
import type { PurchaseModelView } from './purchase-model.js';
import { groupSummaries } from './summary-groups.js';
import type { CustomerSummary, Summaries } from './summary.js';

/** predictCustomer for a whole base, column by column (one entry per customer, in input order). */
export interface PredictionColumns {
  readonly size: number;
  readonly expectedPurchases90d: Float64Array;
  readonly expectedPurchasesHorizon: Float64Array;
  readonly pAlive: Float64Array;
  readonly churnProbability: Float64Array;
  /** Index into CHURN_RISKS. */
  readonly churnRisk: Uint8Array;
  /** 1 where the customer has an expected spend (a spend model and a finite value); CLV columns need it. */
  readonly hasSpend: Uint8Array;
  readonly expectedSpend: Float64Array;
  readonly predictedClv: Float64Array;
  readonly predictedClv365d: Float64Array;
  /** ms since the epoch; NaN for no next order date. */
  readonly nextOrderMs: Float64Array;
}

/**
 * Predicts every customer of a base: the numbers predictCustomer gives each one, computed the same way
 * (the same functions on the same values, so identical to the last bit), with the work shared where the
 * model allows. Everything but spend depends on a customer only through (x, tₓ, T), so it is computed
 * once per distinct triple (groupSummaries); expected purchases if alive depend on (x, T) only, so within
 * one (x, T) they are computed once per horizon and reused by every tₓ. Spend and CLV are per customer.
 */
export function predictBase(
  model: PurchaseModelView,
  spend: GammaGammaParams | undefined,
  d: Summaries,
  s: PredictionSettings,
): PredictionColumns {
  const groups = groupSummaries(d);
  const rows = groups.size;
  // Rows in (x, T) order, by counting sort on the (x, T) point index.
  const points = groups.pointX.length;
  const start = new Int32Array(points + 1);
  for (let i = 0; i < rows; i++) (start[(groups.tPoint[i] as number) + 1] as number)++;
  for (let q = 0; q < points; q++) start[q + 1] = (start[q + 1] as number) + (start[q] as number);
  const order = new Int32Array(rows);
  const next = start.slice(0, points);
  for (let i = 0; i < rows; i++) order[(next[groups.tPoint[i] as number] as number)++] = i;

  const h = {
    pAlive: new Float64Array(rows),
    churnProbability: new Float64Array(rows),
    churnRisk: new Uint8Array(rows),
    e90: new Float64Array(rows),
    eHorizon: new Float64Array(rows),
    dHorizon: new Float64Array(rows),
    d365: new Float64Array(rows),
    nextOrderMs: new Float64Array(rows),
  };
  // Expected purchases if alive, memoised per time for the current (x, T): a few dozen times at most, so a
  // short list searched in order beats a Map keyed by fractional numbers.
  const memoT = new Float64Array(256);
  const memoV = new Float64Array(256);
  let memoN = 0;
  const shared: PurchaseModelView = {
    ...model,
    expectedIfAlive: (c: CustomerSummary, t: number) => {
      for (let k = 0; k < memoN; k++) if (memoT[k] === t) return memoV[k] as number;
      const v = model.expectedIfAlive(c, t);
      if (memoN < memoT.length) {
        memoT[memoN] = t;
        memoV[memoN++] = v;
      }
      return v;
    },
  };
  for (let q = 0; q < points; q++) {
    memoN = 0;
    for (let k = start[q] as number; k < (start[q + 1] as number); k++) {
      const i = order[k] as number;
      const c = {
        x: groups.xValues[groups.xIndex[i] as number] as number,
        tx: groups.txValues[groups.txIndex[i] as number] as number,
        T: groups.tValues[groups.tIndex[i] as number] as number,
      };
      const p = predictHistory(shared, c, s, spend !== undefined);
      h.pAlive[i] = p.pAlive;
      h.churnProbability[i] = p.churnProbability;
      h.churnRisk[i] = CHURN_RISKS.indexOf(p.churnRisk);
      h.e90[i] = p.expectedPurchases90d;
      h.eHorizon[i] = p.expectedPurchasesHorizon;
      h.dHorizon[i] = p.discountedHorizon;
      h.d365[i] = p.discounted365;
      h.nextOrderMs[i] = p.nextOrderMs;
    }
  }

  const n = d.x.length;
  const out: PredictionColumns = {
    size: n,
    expectedPurchases90d: new Float64Array(n),
    expectedPurchasesHorizon: new Float64Array(n),
    pAlive: new Float64Array(n),
    churnProbability: new Float64Array(n),
    churnRisk: new Uint8Array(n),
    hasSpend: new Uint8Array(n),
    expectedSpend: new Float64Array(n),
    predictedClv: new Float64Array(n),
    predictedClv365d: new Float64Array(n),
    nextOrderMs: new Float64Array(n),
  };
  for (let j = 0; j < n; j++) {
    const i = groups.rowOf[j] as number;
    out.expectedPurchases90d[j] = h.e90[i] as number;
    out.expectedPurchasesHorizon[j] = h.eHorizon[i] as number;
    out.pAlive[j] = h.pAlive[i] as number;
    out.churnProbability[j] = h.churnProbability[i] as number;
    out.churnRisk[j] = h.churnRisk[i] as number;
    out.nextOrderMs[j] = h.nextOrderMs[i] as number;
    const expectedSpend = expectedSpendOf(spend, d.x[j] as number, d.mx[j] as number);
    if (Number.isFinite(expectedSpend)) {
      out.hasSpend[j] = 1;
      out.expectedSpend[j] = expectedSpend;
      out.predictedClv[j] = expectedSpend * (h.dHorizon[i] as number);
      out.predictedClv365d[j] = s.horizonDays === 365 ? (out.predictedClv[j] as number) : expectedSpend * (h.d365[i] as number);
    } else {
      out.expectedSpend[j] = NaN;
      out.predictedClv[j] = NaN;
      out.predictedClv365d[j] = NaN;
    }
  }
  return out;
}
