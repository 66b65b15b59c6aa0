/** Days in a discounting step: a twelfth of a Julian year. */
export const STEP_DAYS = 365.25 / 12;

/**
 * Expected purchases over the next `horizonDays`, each discounted to today at `annualRate`:
 *
 *   Σₖ (E(tₖ) − E(tₖ₋₁)) · (1 + d)^−(mₖ / 365.25)
 *
 * over monthly steps tₖ = k·STEP_DAYS (the last one cut at the horizon), mₖ the step's midpoint in days,
 * where E(t) = `expectedByDay(t)` is the expected number of purchases within t days. Purchases expected
 * within a month are treated as happening mid-month. With d = 0 this is exactly E(horizon).
 */
export function discountedPurchases(expectedByDay: (days: number) => number, horizonDays: number, annualRate: number): number {
  let total = 0;
  let previousDays = 0;
  let previousExpected = 0;
  while (previousDays < horizonDays) {
    const days = Math.min(horizonDays, previousDays + STEP_DAYS);
    const expected = expectedByDay(days);
    const mid = (previousDays + days) / 2;
    total += (expected - previousExpected) * Math.pow(1 + annualRate, -mid / 365.25);
    previousDays = days;
    previousExpected = expected;
  }
  return total;
}
