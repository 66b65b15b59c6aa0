/**
 * How a metric's value is read from the means of its per-customer variables, and its gradient for the
 * delta method. Layouts:
 * - proportion, mean: [post, pre] — the value is the mean of `post` (a 0/1 flag for a proportion).
 * - ratio: [post numerator, post denominator, pre numerator, pre denominator] — the value is
 *   mean(num) / mean(den), e.g. average order value = revenue per customer / orders per customer
 *   (a ratio of means, not a mean of per-customer ratios: Deng, Knoblich & Lu 2018, §3.2).
 * `pre` is the same metric over the period before assignment, the covariate of CUPED.
 */
export type MetricKind = 'proportion' | 'mean' | 'ratio';

export interface MetricFunction {
  /** Value over the window after assignment; NaN when a ratio's denominator mean is 0. */
  post(mean: readonly number[]): number;
  postGradient(mean: readonly number[]): number[];
  /** Value over the window before assignment. */
  pre(mean: readonly number[]): number;
  preGradient(mean: readonly number[]): number[];
}

const simple: MetricFunction = {
  post: (m) => m[0]!,
  postGradient: () => [1, 0],
  pre: (m) => m[1]!,
  preGradient: () => [0, 1],
};

const ratio: MetricFunction = {
  post: (m) => (m[1] === 0 ? NaN : m[0]! / m[1]!),
  postGradient: (m) => [1 / m[1]!, -m[0]! / (m[1]! * m[1]!), 0, 0],
  pre: (m) => (m[3] === 0 ? NaN : m[2]! / m[3]!),
  preGradient: (m) => [0, 0, 1 / m[3]!, -m[2]! / (m[3]! * m[3]!)],
};

/** The value function of a metric kind. */
export function metricFunction(kind: MetricKind): MetricFunction {
  return kind === 'ratio' ? ratio : simple;
}

/** How many per-customer variables a metric kind reads (see the layouts above). */
export function variableCount(kind: MetricKind): number {
  return kind === 'ratio' ? 4 : 2;
}
