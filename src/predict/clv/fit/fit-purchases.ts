import { SegmintError } from '../../../domain/errors.js';
import { maximiseLogLikelihood, type Convergence } from '../../optim/maximise.js';
import type { RandomSource } from '../../../numeric/random.js';
import { bgNbdValueAndGradient } from '../bg-nbd/value-and-gradient.js';
import { PARAM_NAMES, paramsFromVector, type PurchaseModel, type PurchaseParams } from '../models.js';
import { paretoNbdValueAndGradient } from '../pareto-nbd/value-and-gradient.js';
import type { Summaries } from '../summary.js';
import { groupSummaries } from '../summary-groups.js';

/** Fewer customers than this: refuse. The likelihood still exists, but four parameters from fewer is noise. */
export const MIN_CUSTOMERS = 50;
/** Fewer than this: fit, but say the estimates are uncertain (and show their standard errors). */
export const SMALL_BASE = 500;

export interface PurchaseFit {
  readonly fitted: PurchaseParams;
  readonly standardErrors: Record<string, number>;
  readonly logLikelihood: number;
  readonly customers: number;
  readonly repeatBuyers: number;
  readonly convergence: Convergence;
  readonly warnings: string[];
}

/**
 * Fits BG/NBD or Pareto/NBD by maximum likelihood to calibration summaries. Starts from r = 1, a scale
 * of the mean customer age for α (and β), a = b = 1 (s = 1), with seeded restarts around it. Customers
 * with the same (x, tₓ, T) share one likelihood term (groupSummaries), and the search follows the
 * analytic gradient (bgNbdValueAndGradient, paretoNbdValueAndGradient).
 */
export function fitPurchases(model: PurchaseModel, d: Summaries, random: RandomSource): PurchaseFit {
  const n = d.x.length;
  let repeatBuyers = 0;
  let meanT = 0;
  for (let i = 0; i < n; i++) {
    if ((d.x[i] as number) > 0) repeatBuyers++;
    meanT += (d.T[i] as number) / n;
  }
  if (n < MIN_CUSTOMERS) {
    throw new SegmintError(
      'clv_too_few_customers',
      `Cannot fit ${model}: ${n} customer(s) with a first purchase in the calibration period; ` +
        `at least ${MIN_CUSTOMERS} are needed to estimate the model's four parameters.`,
      { customers: n, minimum: MIN_CUSTOMERS },
    );
  }
  if (repeatBuyers === 0) {
    throw new SegmintError(
      'clv_no_repeat_buyers',
      `Cannot fit ${model}: none of the ${n} customers bought again in the calibration period, so there is ` +
        'nothing to learn purchase rates from. Use a later --calibration-end or a coarser --grain.',
      { customers: n },
    );
  }
  if (!(meanT > 0)) {
    throw new SegmintError(
      'clv_no_history',
      `Cannot fit ${model}: every customer's first purchase is on the calibration end day (T = 0).`,
      { customers: n },
    );
  }
  const warnings: string[] = [];
  if (n < SMALL_BASE) {
    warnings.push(
      `Small customer base (${n} customers, ${repeatBuyers} repeat buyers): the parameters are uncertain; ` +
        'read the standard errors before relying on individual predictions.',
    );
  }
  const rows = groupSummaries(d);
  const valueAndGradient =
    model === 'bg-nbd'
      ? (v: readonly number[]) => bgNbdValueAndGradient({ r: v[0] as number, alpha: v[1] as number, a: v[2] as number, b: v[3] as number }, rows)
      : (v: readonly number[]) => paretoNbdValueAndGradient({ r: v[0] as number, alpha: v[1] as number, s: v[2] as number, beta: v[3] as number }, rows);
  const scale = meanT / 4;
  const start = model === 'bg-nbd' ? [1, scale, 1, 1] : [1, scale, 1, scale];
  const result = maximiseLogLikelihood((v) => valueAndGradient(v).value, { start, random, valueAndGradient });
  if (!result.convergence.converged) {
    warnings.push(
      `The ${model} fit did not converge (gradient norm ${result.convergence.gradientNorm.toExponential(2)}); ` +
        'the parameters are the best found, not a verified maximum.',
    );
  }
  const names = PARAM_NAMES[model];
  if (result.convergence.atBound.length > 0) warnings.push(edgeWarning(result.convergence.atBound.map((i) => names[i] as string), result.params));
  const standardErrors: Record<string, number> = {};
  names.forEach((name, i) => (standardErrors[name] = result.standardErrors[i] as number));
  if (result.convergence.atBound.length === 0 && result.standardErrors.some((v) => !Number.isFinite(v))) {
    warnings.push('Some standard errors could not be computed: a parameter is not identified by this data.');
  }
  return {
    fitted: paramsFromVector(model, result.params),
    standardErrors,
    logLikelihood: result.logLikelihood,
    customers: n,
    repeatBuyers,
    convergence: result.convergence,
    warnings,
  };
}

/**
 * Explains parameters that ran to the edge of the search range. A Gamma or Beta mixing distribution whose
 * two parameters grow together collapses to one value shared by every customer; the ratio is what the
 * data determines, so that is what the message reports.
 */
function edgeWarning(edge: readonly string[], v: readonly number[]): string {
  const [p0, p1, p2, p3] = v as [number, number, number, number];
  const pair = (a: string, b: string) => edge.includes(a) || edge.includes(b);
  const parts: string[] = [];
  if (pair('r', 'alpha')) parts.push(`r and alpha grew without limit: customers share one purchase rate r/alpha = ${(p0 / p1).toPrecision(3)} per time unit`);
  if (edge.includes('a') || edge.includes('b')) {
    parts.push(`a and b grew without limit: customers share one drop-out probability a/(a+b) = ${(p2 / (p2 + p3)).toPrecision(3)} after each purchase`);
  }
  if (pair('s', 'beta')) parts.push(`s and beta grew without limit: customers share one drop-out rate s/beta = ${(p2 / p3).toPrecision(3)} per time unit`);
  return (
    `${parts.join('; ')} (${edge.join(', ')} at the edge of the search range). The data cannot tell the spread ` +
    'across customers from zero; predictions use the edge values, standard errors are for the other parameters.'
  );
}
