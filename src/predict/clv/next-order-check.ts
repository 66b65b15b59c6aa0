import type { PurchaseModelView } from './purchase-model.js';
import type { Summaries } from './summary.js';

export interface NextOrderCheck {
  /** Customers given a next order date that falls inside the holdout. */
  dated_within_holdout: number;
  /** Of those, the share whose first holdout purchase came on or before the date (≈ 0.5 if calibrated); null when none is dated within. */
  bought_by_date: number | null;
  /** Customers given a date beyond the holdout end (cannot be checked). */
  dated_beyond_holdout: number;
  /** Customers without a date (P(ever buying again) ≤ ½) and the share of them who bought in the holdout (< 0.5 expected; null when none is undated). */
  undated: number;
  undated_bought: number | null;
  /** Median |predicted − actual| in model units over customers with a date and a holdout purchase. */
  median_absolute_error: number | null;
}

/**
 * Checks the expected next order date on a holdout. The date is the median time to the next purchase, so
 * among customers whose date falls inside the holdout about half should have bought by it; among those
 * without a date fewer than half should buy at all. `next` holds each customer's first holdout purchase in
 * model units after the calibration end (NaN when none).
 */
export function checkNextOrder(model: PurchaseModelView, d: Summaries, next: Float64Array, holdoutLength: number): NextOrderCheck {
  let within = 0;
  let hit = 0;
  let beyond = 0;
  let undated = 0;
  let undatedBought = 0;
  const errors: number[] = [];
  for (let i = 0; i < d.x.length; i++) {
    const c = { x: d.x[i] as number, tx: d.tx[i] as number, T: d.T[i] as number };
    const t = model.medianTimeToNext(c);
    const actual = next[i] as number;
    if (t === undefined) {
      undated++;
      if (!Number.isNaN(actual)) undatedBought++;
      continue;
    }
    if (!Number.isNaN(actual)) errors.push(Math.abs(t - actual));
    if (t > holdoutLength) {
      beyond++;
      continue;
    }
    within++;
    if (!Number.isNaN(actual) && actual <= t) hit++;
  }
  errors.sort((a, b) => a - b);
  const mid = errors.length >> 1;
  return {
    dated_within_holdout: within,
    bought_by_date: within > 0 ? hit / within : null,
    dated_beyond_holdout: beyond,
    undated,
    undated_bought: undated > 0 ? undatedBought / undated : null,
    median_absolute_error:
      errors.length === 0 ? null : errors.length % 2 ? (errors[mid] as number) : ((errors[mid - 1] as number) + (errors[mid] as number)) / 2,
  };
}
