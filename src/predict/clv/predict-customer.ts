import { churnRisk, type ChurnRisk } from './churn-risk.js';
import { discountedPurchases } from './discounted-purchases.js';
import { gammaGammaConditionalMean } from './gamma-gamma/conditional-mean.js';
import type { GammaGammaParams } from './gamma-gamma/log-likelihood.js';
import type { PurchaseModelView } from './purchase-model.js';
import type { CustomerSummary } from './summary.js';

export interface PredictionSettings {
  readonly unitDays: number;
  readonly horizonDays: number;
  readonly annualDiscount: number;
  readonly asOf: Date;
}

export interface CustomerPrediction {
  readonly expectedPurchases90d: number;
  readonly expectedPurchasesHorizon: number;
  readonly pAlive: number;
  readonly churnProbability: number;
  readonly churnRisk: ChurnRisk;
  /** Gamma-Gamma expected value of a future transaction; null without a spend model. */
  readonly expectedSpend: number | null;
  /** Discounted expected purchases × expected spend over the horizon, and over 365 days. */
  readonly predictedClv: number | null;
  readonly predictedClv365d: number | null;
  /** as_of + median time to the next purchase; null when the customer more likely than not never buys again. */
  readonly nextOrderAt: Date | null;
}

const DAY_MS = 86_400_000;

/**
 * Everything segmint predicts for one customer, from the summary (x, tₓ, T in model units) and the mean
 * value of their repeat transactions (NaN or ≤ 0 when unknown: the population mean is used).
 */
export function predictCustomer(
  model: PurchaseModelView,
  spend: GammaGammaParams | undefined,
  c: CustomerSummary,
  meanRepeatSpend: number,
  s: PredictionSettings,
): CustomerPrediction {
  const pAlive = model.pAlive(c);
  const churnProbability = 1 - pAlive;
  const byDay = (days: number) => pAlive * model.expectedIfAlive(c, days / s.unitDays);
  const known = c.x > 0 && meanRepeatSpend > 0;
  const expectedSpend = spend ? gammaGammaConditionalMean(spend, known ? c.x : 0, known ? meanRepeatSpend : 0) : NaN;
  const hasSpend = Number.isFinite(expectedSpend);
  const clvOver = (days: number) => (hasSpend ? expectedSpend * discountedPurchases(byDay, days, s.annualDiscount) : null);
  const predictedClv = clvOver(s.horizonDays);
  const median = model.medianTimeToNext(c, pAlive);
  const nextDays = median === undefined ? undefined : median * s.unitDays;
  return {
    expectedPurchases90d: byDay(90),
    expectedPurchasesHorizon: byDay(s.horizonDays),
    pAlive,
    churnProbability,
    churnRisk: churnRisk(churnProbability),
    expectedSpend: hasSpend ? expectedSpend : null,
    predictedClv,
    predictedClv365d: s.horizonDays === 365 ? predictedClv : clvOver(365),
    // Beyond ~270,000 years a Date is invalid; such a customer has no meaningful next order date.
    nextOrderAt: nextDays !== undefined && nextDays < 1e8 ? new Date(s.asOf.getTime() + nextDays * DAY_MS) : null,
  };
}
