import { churnRisk, type ChurnRisk } from './churn-risk.js';
import { discountedPurchases } from './discounted-purchases.js';
import { gammaGammaConditionalMean } from './gamma-gamma/conditional-mean.js';
import type { GammaGammaParams } from './gamma-gamma/log-likelihood.js';
import type { PurchaseModelView } from './purchase-model.js';
import type { CustomerSummary } from './summary.js';
import { DAY_MS } from '../../domain/days.js';

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

/** What a purchase history alone determines: every customer with the same (x, tₓ, T) shares it. */
export interface HistoryPrediction {
  readonly pAlive: number;
  readonly churnProbability: number;
  readonly churnRisk: ChurnRisk;
  readonly expectedPurchases90d: number;
  readonly expectedPurchasesHorizon: number;
  /** Discounted expected purchases over the horizon and over 365 days (NaN unless asked for): CLV = × spend. */
  readonly discountedHorizon: number;
  readonly discounted365: number;
  /** as_of + median time to the next purchase, in ms since the epoch; NaN when there is none. */
  readonly nextOrderMs: number;
}

/**
 * The spend-free part of a customer's predictions, from the summary (x, tₓ, T in model units). With
 * `discounted` false the discounted sums, needed only for CLV, are skipped (NaN).
 */
export function predictHistory(model: PurchaseModelView, c: CustomerSummary, s: PredictionSettings, discounted = true): HistoryPrediction {
  const pAlive = model.pAlive(c);
  const churnProbability = 1 - pAlive;
  const byDay = (days: number) => pAlive * model.expectedIfAlive(c, days / s.unitDays);
  const discountedHorizon = discounted ? discountedPurchases(byDay, s.horizonDays, s.annualDiscount) : NaN;
  const median = model.medianTimeToNext(c, pAlive);
  const nextDays = median === undefined ? undefined : median * s.unitDays;
  return {
    pAlive,
    churnProbability,
    churnRisk: churnRisk(churnProbability),
    expectedPurchases90d: byDay(90),
    expectedPurchasesHorizon: byDay(s.horizonDays),
    discountedHorizon,
    discounted365: !discounted ? NaN : s.horizonDays === 365 ? discountedHorizon : discountedPurchases(byDay, 365, s.annualDiscount),
    // Beyond ~270,000 years a Date is invalid; such a customer has no meaningful next order date.
    nextOrderMs: nextDays !== undefined && nextDays < 1e8 ? s.asOf.getTime() + nextDays * DAY_MS : NaN,
  };
}

/**
 * Gamma-Gamma expected value of a customer's next transaction, from their repeat transactions (x) and
 * their mean value (NaN or ≤ 0 when unknown: the population mean is used); NaN without a spend model.
 */
export function expectedSpendOf(spend: GammaGammaParams | undefined, x: number, meanRepeatSpend: number): number {
  const known = x > 0 && meanRepeatSpend > 0;
  return spend ? gammaGammaConditionalMean(spend, known ? x : 0, known ? meanRepeatSpend : 0) : NaN;
}

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
  const h = predictHistory(model, c, s, spend !== undefined);
  const expectedSpend = expectedSpendOf(spend, c.x, meanRepeatSpend);
  const hasSpend = Number.isFinite(expectedSpend);
  const predictedClv = hasSpend ? expectedSpend * h.discountedHorizon : null;
  return {
    expectedPurchases90d: h.expectedPurchases90d,
    expectedPurchasesHorizon: h.expectedPurchasesHorizon,
    pAlive: h.pAlive,
    churnProbability: h.churnProbability,
    churnRisk: h.churnRisk,
    expectedSpend: hasSpend ? expectedSpend : null,
    predictedClv,
    predictedClv365d: s.horizonDays === 365 ? predictedClv : hasSpend ? expectedSpend * h.discounted365 : null,
    nextOrderAt: Number.isNaN(h.nextOrderMs) ? null : new Date(h.nextOrderMs),
  };
}
