import { maximiseLogLikelihood, type Convergence } from '../../optim/maximise.js';
import type { RandomSource } from '../../../numeric/random.js';
import { pearson } from '../correlation.js';
import { gammaGammaValueAndGradient, spendRows } from '../gamma-gamma/value-and-gradient.js';
import { gammaGammaLogLikelihood, type GammaGammaParams, type SpendData } from '../gamma-gamma/log-likelihood.js';
import type { Summaries } from '../summary.js';

/** Below this many repeat buyers with a positive mean spend the spend model is not fitted. */
export const MIN_SPEND_BUYERS = 10;
/** |corr(x, m̄ₓ)| above this: the independence Gamma-Gamma assumes is doubtful, and we say so. */
export const DEPENDENCE_WARNING = 0.3;

export interface SpendFit {
  readonly params: GammaGammaParams;
  readonly standardErrors: { p: number; q: number; gamma: number };
  readonly logLikelihood: number;
  /** Repeat buyers the model was fitted on. */
  readonly customers: number;
  /** Pearson correlation of frequency x and mean spend m̄ₓ among them: Gamma-Gamma assumes ~0. */
  readonly frequencySpendCorrelation: number;
  readonly convergence: Convergence;
  readonly warnings: string[];
}

/**
 * Fits the Gamma-Gamma spend model to the repeat buyers (x ≥ 1, m̄ₓ > 0) and checks the assumption it
 * rests on: that how much a customer spends per transaction does not depend on how often they buy.
 * Returns undefined (with the reason in skipped) when there are too few repeat buyers to fit it.
 */
export function fitSpend(d: Summaries, random: RandomSource): { fit?: SpendFit; skipped?: string } {
  const xs: number[] = [];
  const ms: number[] = [];
  for (let i = 0; i < d.x.length; i++) {
    const x = d.x[i] as number;
    const m = d.mx[i] as number;
    if (x > 0 && m > 0) {
      xs.push(x);
      ms.push(m);
    }
  }
  if (xs.length < MIN_SPEND_BUYERS) {
    return {
      skipped:
        `Spend model not fitted: ${xs.length} repeat buyer(s) with a positive spend, at least ${MIN_SPEND_BUYERS} ` +
        'are needed; expected spend and CLV are left empty.',
    };
  }
  const data: SpendData = { x: Float64Array.from(xs), mx: Float64Array.from(ms) };
  const mean = ms.reduce((s, v) => s + v, 0) / ms.length;
  const toParams = (v: readonly number[]): GammaGammaParams => ({ p: v[0] as number, q: v[1] as number, gamma: v[2] as number });
  const rows = spendRows(data);
  const result = maximiseLogLikelihood((v) => gammaGammaLogLikelihood(toParams(v), data), {
    start: [1, 2, mean],
    random,
    valueAndGradient: (v) => gammaGammaValueAndGradient(toParams(v), rows),
  });
  const params = toParams(result.params);
  const correlation = pearson(data.x, data.mx);
  const warnings: string[] = [];
  if (Math.abs(correlation) > DEPENDENCE_WARNING) {
    warnings.push(
      `Frequency and spend are correlated (r = ${correlation.toFixed(2)} among ${xs.length} repeat buyers); ` +
        'Gamma-Gamma assumes they are independent, so expected spend may be biased.',
    );
  }
  if (!(params.q > 1)) warnings.push(`Spend model q = ${params.q.toFixed(3)} ≤ 1: the population mean spend is undefined.`);
  if (!result.convergence.converged) warnings.push('The spend model fit did not converge.');
  if (xs.length < 50) warnings.push(`Spend model fitted on only ${xs.length} repeat buyers: expected spend is uncertain.`);
  const [sp, sq, sg] = result.standardErrors as [number, number, number];
  return {
    fit: {
      params,
      standardErrors: { p: sp, q: sq, gamma: sg },
      logLikelihood: result.logLikelihood,
      customers: xs.length,
      frequencySpendCorrelation: correlation,
      convergence: result.convergence,
      warnings,
    },
  };
}
