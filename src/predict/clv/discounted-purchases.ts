import type { PurchaseModelView } from './purchase-model.js';
import type { CustomerSummary } from './summary.js';

/** Days in a discounting step: a twelfth of a Julian year. */
export const STEP_DAYS = 365.25 / 12;

/**
 * Expected purchases over the next `horizonDays`, each discounted to today at `annualRate`:
 *
 *   Σₖ (E[Y(tₖ)] − E[Y(tₖ₋₁)]) · (1 + d)^−(mₖ / 365.25)
 *
 * over monthly steps tₖ = k·STEP_DAYS (the last one cut at the horizon), mₖ the step's midpoint in days.
 * Purchases expected within a month are treated as happening mid-month. `unitDays` is the length of the
 * model's time unit in days (1 or 7). With d = 0 this is exactly E[Y(horizon)].
 */
export function discountedPurchases(
  model: PurchaseModelView,
  c: CustomerSummary,
  horizonDays: number,
  unitDays: number,
  annualRate: number,
): number {
  let total = 0;
  let previousDays = 0;
  let previousExpected = 0;
  while (previousDays < horizonDays) {
    const days = Math.min(horizonDays, previousDays + STEP_DAYS);
    const expected = model.conditionalExpected(c, days / unitDays);
    const mid = (previousDays + days) / 2;
    total += (expected - previousExpected) * Math.pow(1 + annualRate, -mid / 365.25);
    previousDays = days;
    previousExpected = expected;
  }
  return total;
}
