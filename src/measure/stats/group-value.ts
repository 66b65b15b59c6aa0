import { metricFunction, type MetricKind } from './metric-function.js';
import { quadraticForm, type GroupMoments } from './moments.js';

export interface GroupValue {
  /** The metric's value in the group (a rate, a mean per customer, or a ratio of means); NaN if undefined. */
  readonly value: number;
  /** Variance per customer: p(1 − p) for a proportion, the sample variance for a mean, the delta-method ∇fᵀΣ∇f for a ratio. */
  readonly perCustomerVariance: number;
  /** Variance of the group's value: perCustomerVariance / n. */
  readonly variance: number;
}

/** A group's value of a metric and the variance of that value, from its moments (see metric-function.ts). */
export function groupValue(kind: MetricKind, g: GroupMoments): GroupValue {
  const f = metricFunction(kind);
  const value = g.n > 0 ? f.post(g.mean) : NaN;
  let perCustomer: number;
  if (kind === 'proportion') perCustomer = value * (1 - value);
  else if (kind === 'mean') perCustomer = g.cov[0]![0]!;
  else {
    const a = f.postGradient(g.mean);
    perCustomer = Number.isFinite(value) ? quadraticForm(a, g.cov, a) : NaN;
  }
  return { value, perCustomerVariance: perCustomer, variance: g.n > 0 ? perCustomer / g.n : NaN };
}
