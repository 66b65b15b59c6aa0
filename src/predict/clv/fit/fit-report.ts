import type { Convergence } from '../../optim/maximise.js';
import { seededRandom } from '../../../numeric/random.js';
import type { GammaGammaParams } from '../gamma-gamma/log-likelihood.js';
import { PARAM_NAMES, paramsRecord, type PurchaseModel, type PurchaseParams } from '../models.js';
import type { Summaries } from '../summary.js';
import { fitPurchases } from './fit-purchases.js';
import { fitSpend } from './fit-spend.js';

export interface ConvergenceReport {
  converged: boolean;
  iterations: number;
  restarts: number;
  gradient_norm: number;
  evaluations: number;
  /** Parameters that ended on the edge of the search range (see warnings). */
  at_bound: string[];
}

/** The JSON `segmint clv fit --json` prints and clv_models.report keeps. */
export interface ClvFitReport {
  model: PurchaseModel;
  params: Record<string, number>;
  standard_errors: Record<string, number>;
  /** 95% intervals, symmetric on the log scale (delta method), so they never include impossible ≤ 0 values. */
  intervals_95: Record<string, [number, number]>;
  log_likelihood: number;
  customers: number;
  repeat_buyers: number;
  convergence: ConvergenceReport;
  spend: {
    p: number;
    q: number;
    gamma: number;
    standard_errors: { p: number; q: number; gamma: number };
    log_likelihood: number;
    customers: number;
    frequency_spend_correlation: number;
    convergence: ConvergenceReport;
  } | null;
  warnings: string[];
}

/** The fitted models in the form predictions take. */
export interface ClvModels {
  readonly purchases: PurchaseParams;
  readonly spend: GammaGammaParams | undefined;
}

/**
 * Fits the purchase model and the spend model to the same summaries and reports both. The seed drives the
 * optimiser's restarts, so the same data and seed give the same report.
 */
export function fitClv(model: PurchaseModel, data: Summaries, seed = 1): { report: ClvFitReport; models: ClvModels } {
  const purchases = fitPurchases(model, data, seededRandom(seed));
  const spend = fitSpend(data, seededRandom(seed + 1));
  const params = paramsRecord(purchases.fitted);
  const intervals: Record<string, [number, number]> = {};
  for (const [name, value] of Object.entries(params)) {
    const se = purchases.standardErrors[name] as number;
    const w = 1.96 * (se / value);
    intervals[name] = Number.isFinite(w) ? [value * Math.exp(-w), value * Math.exp(w)] : [NaN, NaN];
  }
  const warnings = [...purchases.warnings];
  if (spend.skipped) warnings.push(spend.skipped);
  if (spend.fit) warnings.push(...spend.fit.warnings);
  const s = spend.fit;
  return {
    report: {
      model,
      params,
      standard_errors: purchases.standardErrors,
      intervals_95: intervals,
      log_likelihood: purchases.logLikelihood,
      customers: purchases.customers,
      repeat_buyers: purchases.repeatBuyers,
      convergence: convergenceReport(purchases.convergence, PARAM_NAMES[model]),
      spend: s
        ? {
            ...s.params,
            standard_errors: s.standardErrors,
            log_likelihood: s.logLikelihood,
            customers: s.customers,
            frequency_spend_correlation: s.frequencySpendCorrelation,
            convergence: convergenceReport(s.convergence, ['p', 'q', 'gamma']),
          }
        : null,
      warnings,
    },
    models: { purchases: purchases.fitted, spend: s?.params },
  };
}

/** The JSON form of an optimiser's convergence, with edge parameters by name. */
export function convergenceReport(c: Convergence, names: readonly string[]): ConvergenceReport {
  return {
    converged: c.converged,
    iterations: c.iterations,
    restarts: c.restarts,
    gradient_norm: c.gradientNorm,
    evaluations: c.evaluations,
    at_bound: c.atBound.map((i) => names[i] as string),
  };
}
