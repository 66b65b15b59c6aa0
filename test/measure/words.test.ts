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
