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
  const { days, factors } = steps(horizonDays, annualRate);
  let total = 0;
  let previousExpected = 0;
  for (let k = 0; k < days.length; k++) {
    const expected = expectedByDay(days[k] as number);
    total += (expected - previousExpected) * (factors[k] as number);
    previousExpected = expected;
  }
  return total;
}

interface Steps {
  readonly horizonDays: number;
  readonly annualRate: number;
  readonly days: number[];
  readonly factors: number[];
}

/** Step ends and their discount factors, the same for every customer: the last few are kept. */
const cache: Steps[] = [];

function steps(horizonDays: number, annualRate: number): Steps {
  for (const c of cache) if (c.horizonDays === horizonDays && c.annualRate === annualRate) return c;
  const days: number[] = [];
  const factors: number[] = [];
  let previousDays = 0;
  while (previousDays < horizonDays) {
    const end = Math.min(horizonDays, previousDays + STEP_DAYS);
    const mid = (previousDays + end) / 2;
    days.push(end);
    factors.push(Math.pow(1 + annualRate, -mid / 365.25));
    previousDays = end;
  }
  const made = { horizonDays, annualRate, days, factors };
  // A prediction run asks for its horizon and for 365 days; a few entries cover every caller.
  if (cache.unshift(made) > 4) cache.pop();
  return made;
}
