import { confidenceSequence } from './confidence-sequence.js';
import { cupedAdjust } from './cuped.js';
import { groupValue } from './group-value.js';
import { UNDEFINED_INTERVAL, withinRange, type Interval } from './interval.js';
import type { MetricKind } from './metric-function.js';
import type { GroupMoments } from './moments.js';
import { standardNormalQuantile, studentTQuantile } from './distributions.js';
import { ALPHA } from './interval.js';
import { normalInterval, proportionDifference } from './normal-difference.js';
import { relativeLift, relativeLiftSe } from './relative-lift.js';
import { welchDifference } from './welch.js';
import type { GroupValue } from './group-value.js';

export interface LiftFigures {
  /** treatment − control, in the metric's unit (points of a rate, money, orders). */
  readonly absolute_lift: Interval;
  /** treatment / control − 1; its interval by Fieller's theorem with the absolute test's critical value (relative-lift.ts). */
  readonly relative_lift: Interval;
  /** Two-sided p-value of "no difference", from the absolute lift's test. */
  readonly p_value: number | null;
}

export interface CupedFigures extends LiftFigures {
  readonly theta: number;
  /** Share of the plain variance of the difference that the pre-period covariate removed. */
  readonly variance_reduction: number;
}

export interface Comparison extends LiftFigures {
  /** The same comparison adjusted with the pre-assignment value of the metric; null when that does not vary. */
  readonly cuped: CupedFigures | null;
  /** Always-valid figures for looking before the planned end (see confidence-sequence.ts). */
  readonly sequential: LiftFigures;
}

const NONE: LiftFigures = { absolute_lift: UNDEFINED_INTERVAL, relative_lift: UNDEFINED_INTERVAL, p_value: null };

/** The absolute lift's interval and test, and the critical value q that test uses (for the relative interval). */
interface AbsoluteTest {
  readonly interval: Interval;
  readonly pValue: number | null;
  readonly q: number;
}

const Z = standardNormalQuantile(1 - ALPHA / 2);

/**
 * treatment − control: Welch's t for a mean, the unpooled Wald z for a proportion, the delta-method z for a
 * ratio. Serves the plain and the CUPED-adjusted comparison alike (an adjusted proportion is no longer a
 * rate, so its z test takes the adjusted variances as they are).
 */
function absoluteTest(kind: MetricKind, c: GroupValue, t: GroupValue, nControl: number, nTreatment: number, adjusted = false): AbsoluteTest {
  if (kind === 'mean') {
    const w = welchDifference(t.value, t.perCustomerVariance, nTreatment, c.value, c.perCustomerVariance, nControl);
    return { interval: w.difference, pValue: w.pValue, q: w.df === null ? Z : studentTQuantile(1 - ALPHA / 2, w.df) };
  }
  const r = kind === 'proportion' && !adjusted ? proportionDifference(t.value, nTreatment, c.value, nControl) : normalInterval(t.value - c.value, Math.sqrt(t.variance + c.variance));
  return { interval: r.interval, pValue: r.pValue, q: Z };
}

/**
 * One treatment group against control for one metric. The plain absolute lift is Welch's t for a mean,
 * the unpooled Wald z for a proportion, and the delta-method z for a ratio; the relative lift's interval is
 * Fieller's with the same test's critical value, so it excludes 0 exactly when p < 0.05 (relative-lift.ts);
 * CUPED adjusts both (cuped.ts); the sequential interval widens the plain ones into confidence sequences
 * tuned for `plannedTotal` customers in the two groups together (the relative one on the delta-method
 * standard error).
 */
export function compareToControl(kind: MetricKind, control: GroupMoments, treatment: GroupMoments, plannedTotal: number): Comparison {
  const c = groupValue(kind, control);
  const t = groupValue(kind, treatment);
  if (control.n < 2 || treatment.n < 2 || !Number.isFinite(c.value) || !Number.isFinite(t.value)) {
    return { ...NONE, cuped: null, sequential: NONE };
  }
  const absolute = absoluteTest(kind, c, t, control.n, treatment.n);
  const relative = relativeLift(t.value, t.variance, c.value, c.variance, absolute.q);
  const relativeSe = relativeLiftSe(t.value, t.variance, c.value, c.variance);
  const n = control.n + treatment.n;
  const seqAbs = confidenceSequence(t.value - c.value, t.variance + c.variance, n, plannedTotal);
  const seqRel = relativeSe === null || relative.estimate === null ? null : confidenceSequence(relative.estimate, relativeSe ** 2, n, plannedTotal);
  // A difference of two shares lies in [−1, 1] (recheck 8, C2: a 30-customer holdout printed −227 to +214 points).
  const shares = (i: Interval): Interval => (kind === 'proportion' ? withinRange(i, -1, 1) : i);
  return {
    absolute_lift: shares(absolute.interval),
    relative_lift: relative,
    p_value: absolute.pValue,
    cuped: cupedFigures(kind, control, treatment),
    sequential: { absolute_lift: shares(seqAbs.interval), relative_lift: seqRel?.interval ?? UNDEFINED_INTERVAL, p_value: seqAbs.pValue },
  };
}

function cupedFigures(kind: MetricKind, control: GroupMoments, treatment: GroupMoments): CupedFigures | null {
  const adj = cupedAdjust(kind, control, treatment);
  if (!adj) return null;
  const { control: c, treatment: t } = adj;
  const abs = absoluteTest(kind, c, t, control.n, treatment.n, true);
  return {
    absolute_lift: abs.interval,
    relative_lift: relativeLift(t.value, t.variance, c.value, c.variance, abs.q),
    p_value: abs.pValue,
    theta: adj.theta,
    variance_reduction: adj.varianceReduction,
  };
}
