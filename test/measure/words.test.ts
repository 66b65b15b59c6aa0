import { expect, it } from 'vitest';
import type { MetricDefinition } from '../../src/measure/experiments/metrics.js';
import { groupSummary } from '../../src/measure/experiments/words.js';

const opens: MetricDefinition = { name: 'email_open', kind: 'binary', columns: ['opened'], unit: 'rate', description: 'opened an email', label: 'email opens', guardrail: false } as unknown as MetricDefinition;
const figures = (mean: number, estimate: number) => ({
  group: 'treatment',
  customers: 500,
  mean,
  absolute_lift: { estimate, ci95: [estimate - 0.01, estimate + 0.01] },
  relative_lift: null,
  p_value: 1,
  cuped: null,
  sequential: null,
  power: null,
});

it('a metric with nothing recorded in either group says so, instead of "no detectable difference"', () => {
  const none = groupSummary(opens, 'control', 0, figures(0, 0) as never);
  expect(none).toBe('treatment: no email opens recorded in either group (0 in treatment and in control), so there is nothing to compare.');
  // with something recorded, the comparison is made as before
  expect(groupSummary(opens, 'control', 0.2, figures(0.2, 0) as never)).toMatch(/^no detectable difference in email opens\. Email opens 20\.0% in treatment vs 20\.0% in control/);
});

it('not enough data in a workflow too young for a pace says so; a one-off campaign says waiting adds none (trial 8, D5)', () => {
  const rate = { ...opens, label: 'conversion' } as MetricDefinition;
  const short = (accrues: boolean) =>
    groupSummary(rate, 'holdout', 0.1, {
      ...figures(0.12, 0.02),
      p_value: 0.4,
      power: { mde: 0.1, power: 0.08, customers_needed: { control: 3000, treatment: 3000 }, more_needed: { control: 2500, treatment: 2500 }, days_needed: null, accrues },
    } as never);
  expect(short(true)).toMatch(/^not enough data yet: needs about 2,500 more customers per group to detect a 10% lift \(power now 8%\); customers are still being assigned, but too recently to tell the pace/);
  expect(short(true)).not.toMatch(/split at once|repeat the campaign/);
  expect(short(false)).toMatch(/\(power now 8%\); all customers were split at once, so waiting adds none: split a larger segment or repeat the campaign/);
});
