import { isSegmintError } from '../../domain/errors.js';
import type { RawFeatureRow } from '../../store/queries/propensity-features.js';
import { bgNbdConditionalExpected } from '../clv/bg-nbd/conditional-expected.js';
import { bgNbdPAlive } from '../clv/bg-nbd/p-alive.js';
import type { BgNbdParams } from '../clv/bg-nbd/log-likelihood.js';
import { fitPurchases } from '../clv/fit/fit-purchases.js';
import type { Summaries } from '../clv/summary.js';
import { seededRandom } from '../../numeric/random.js';

const DESCRIPTION = 'BG/NBD expected orders in the horizon, fitted on the history up to the cutoff (weeks)';

export type BgNbdBaseline =
  | { readonly description: string; readonly params: BgNbdParams; readonly expected: Float64Array; readonly pAlive: Float64Array }
  | { readonly description: string; readonly unavailable: string };

/**
 * The classic unsupervised ranking to beat: fit BG/NBD to every customer's (x, tₓ, T) at the cutoff
 * (x = repeat orders, times in weeks) and rank by expected orders in the next horizonDays. It uses the
 * same history as the propensity features and no labels, so it is a fair comparison on the test window.
 * The seed is fixed: the fit's restarts repeat exactly, so validation figures do not wander between runs.
 */
export function bgNbdBaseline(rows: readonly RawFeatureRow[], horizonDays: number, seed = 20_111_209): BgNbdBaseline {
  const n = rows.length;
  const d: Summaries = {
    ids: rows.map((r) => r.customer_id),
    x: Float64Array.from(rows, (r) => r.orders - 1),
    tx: Float64Array.from(rows, (r) => (r.tenure_days - r.recency_days) / 7),
    T: Float64Array.from(rows, (r) => r.tenure_days / 7),
    mx: new Float64Array(n).fill(NaN),
    xStar: new Float64Array(n).fill(NaN),
  };
  let params: BgNbdParams;
  try {
    const fit = fitPurchases('bg-nbd', d, seededRandom(seed));
    if (fit.fitted.model !== 'bg-nbd') throw new Error('fitPurchases returned another model');
    params = fit.fitted.params;
  } catch (e) {
    if (isSegmintError(e)) return { description: DESCRIPTION, unavailable: e.message };
    throw e;
  }
  const t = horizonDays / 7;
  const expected = new Float64Array(n);
  const pAlive = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = { x: d.x[i] as number, tx: d.tx[i] as number, T: d.T[i] as number };
    expected[i] = bgNbdConditionalExpected(params, c, t);
    pAlive[i] = bgNbdPAlive(params, c);
  }
  return { description: DESCRIPTION, params, expected, pAlive };
}
