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

// Offsets of a row's history predictions in predictBase's row-major table.
const [P_ALIVE, CHURN_PROBABILITY, CHURN_RISK, E90, E_HORIZON, D_HORIZON, D365, NEXT_ORDER_MS] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
const ROW = 8;

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

  // The history predictions of a row side by side (ROW doubles, one cache line): the customer loop below
  // visits rows in customer order, i.e. at random, and reads one line per customer instead of eight.
  const h = new Float64Array(rows * ROW);
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
      const at = i * ROW;
      h[at + P_ALIVE] = p.pAlive;
      h[at + CHURN_PROBABILITY] = p.churnProbability;
      h[at + CHURN_RISK] = CHURN_RISKS.indexOf(p.churnRisk);
      h[at + E90] = p.expectedPurchases90d;
      h[at + E_HORIZON] = p.expectedPurchasesHorizon;
      h[at + D_HORIZON] = p.discountedHorizon;
      h[at + D365] = p.discounted365;
      h[at + NEXT_ORDER_MS] = p.nextOrderMs;
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
    const at = (groups.rowOf[j] as number) * ROW;
    out.expectedPurchases90d[j] = h[at + E90] as number;
    out.expectedPurchasesHorizon[j] = h[at + E_HORIZON] as number;
    out.pAlive[j] = h[at + P_ALIVE] as number;
    out.churnProbability[j] = h[at + CHURN_PROBABILITY] as number;
    out.churnRisk[j] = h[at + CHURN_RISK] as number;
    out.nextOrderMs[j] = h[at + NEXT_ORDER_MS] as number;
    const expectedSpend = expectedSpendOf(spend, d.x[j] as number, d.mx[j] as number);
    if (Number.isFinite(expectedSpend)) {
      out.hasSpend[j] = 1;
      out.expectedSpend[j] = expectedSpend;
      out.predictedClv[j] = expectedSpend * (h[at + D_HORIZON] as number);
      out.predictedClv365d[j] = s.horizonDays === 365 ? (out.predictedClv[j] as number) : expectedSpend * (h[at + D365] as number);
    } else {
      out.expectedSpend[j] = NaN;
      out.predictedClv[j] = NaN;
      out.predictedClv365d[j] = NaN;
    }
  }
  return out;
}
