import { metricFunction, type MetricKind } from './metric-function.js';
import { poolMoments, quadraticForm, type GroupMoments } from './moments.js';

export interface CupedGroup {
  /** The adjusted value: Ŷ − θ (X̂ − X̂_pooled). */
  readonly value: number;
  /** Variance of that value (already divided by n). */
  readonly variance: number;
  /** Variance per customer, for a Welch comparison (variance × n). */
  readonly perCustomerVariance: number;
}

export interface CupedAdjustment {
  /** θ = Cov(Y, X) / Var(X) over both groups together. */
  readonly theta: number;
  readonly control: CupedGroup;
  readonly treatment: CupedGroup;
  /** 1 − adjusted variance / plain variance of the difference: the share of variance removed. */
  readonly varianceReduction: number;
}

/**
 * CUPED (Deng, Xu, Kohavi & Walker 2013, "Improving the Sensitivity of Online Controlled Experiments
 * by Utilizing Pre-Experiment Data", WSDM): each group's value Y is adjusted with the same metric X
 * measured before assignment, Y_cv = Y − θ (X − E X), θ = Cov(Y, X) / Var(X) estimated on both groups
 * pooled; the variance shrinks by the factor 1 − ρ². For a ratio metric Y and X are the linearised
 * (delta-method) values, as in Deng et al. 2018 §4 and GrowthBook's "CUPED for ratio metrics": with
 * gradients a = ∇f, b = ∇h, θ = aᵀΣb / bᵀΣb and Var(Y_cv) = (aᵀΣa − 2θ aᵀΣb + θ² bᵀΣb) / n.
 * Returns null when the pre-period value does not vary (nobody had the metric before) or is undefined.
 */
export function cupedAdjust(kind: MetricKind, control: GroupMoments, treatment: GroupMoments): CupedAdjustment | null {
  const f = metricFunction(kind);
  const pooled = poolMoments([control, treatment]);
  const preTotal = f.pre(pooled.mean);
  if (!Number.isFinite(preTotal) || control.n < 2 || treatment.n < 2) return null;
  const a = f.postGradient(pooled.mean);
  const b = f.preGradient(pooled.mean);
  const varX = quadraticForm(b, pooled.cov, b);
  if (!(varX > 0)) return null;
  const theta = quadraticForm(a, pooled.cov, b) / varX;
  let plain = 0;
  const adjust = (g: GroupMoments): CupedGroup | null => {
    const y = f.post(g.mean);
    const x = f.pre(g.mean);
    if (!Number.isFinite(y) || !Number.isFinite(x)) return null;
    const ag = f.postGradient(g.mean);
    const bg = f.preGradient(g.mean);
    const vyy = quadraticForm(ag, g.cov, ag);
    plain += vyy / g.n;
    const perCustomer = Math.max(0, vyy - 2 * theta * quadraticForm(ag, g.cov, bg) + theta * theta * quadraticForm(bg, g.cov, bg));
    return { value: y - theta * (x - preTotal), variance: perCustomer / g.n, perCustomerVariance: perCustomer };
  };
  const c = adjust(control);
  const t = adjust(treatment);
  if (!c || !t) return null;
  const varianceReduction = plain > 0 ? 1 - (c.variance + t.variance) / plain : 0;
  return { theta, control: c, treatment: t, varianceReduction };
}
