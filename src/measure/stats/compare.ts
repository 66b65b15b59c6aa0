import { confidenceSequence } from './confidence-sequence.js';
import { cupedAdjust } from './cuped.js';
import { groupValue } from './group-value.js';
import { UNDEFINED_INTERVAL, type Interval } from './interval.js';
import type { MetricKind } from './metric-function.js';
import type { GroupMoments } from './moments.js';
import { normalInterval, proportionDifference } from './normal-difference.js';
import { relativeLift } from './relative-lift.js';
import { welchDifference } from './welch.js';

export interface LiftFigures {
  /** treatment − control, in the metric's unit (points of a rate, money, orders). */
  readonly absolute_lift: Interval;
  /** treatment / control − 1. */
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

/**
 * One treatment group against control for one metric. The plain absolute lift is Welch's t for a mean,
 * the unpooled Wald z for a proportion, and the delta-method z for a ratio; the relative lift is the
 * delta method (relative-lift.ts); CUPED adjusts both (cuped.ts); the sequential interval widens the
 * plain ones into confidence sequences tuned for `plannedTotal` customers in the two groups together.
 */
export function compareToControl(kind: MetricKind, control: GroupMoments, treatment: GroupMoments, plannedTotal: number): Comparison {
  const c = groupValue(kind, control);
  const t = groupValue(kind, treatment);
  if (control.n < 2 || treatment.n < 2 || !Number.isFinite(c.value) || !Number.isFinite(t.value)) {
    return { ...NONE, cuped: null, sequential: NONE };
  }
  let absolute: Interval;
  let pValue: number | null;
  if (kind === 'mean') {
    const w = welchDifference(t.value, t.perCustomerVariance, treatment.n, c.value, c.perCustomerVariance, control.n);
    absolute = w.difference;
    pValue = w.pValue;
  } else {
    const r = kind === 'proportion' ? proportionDifference(t.value, treatment.n, c.value, control.n) : normalInterval(t.value - c.value, Math.sqrt(t.variance + c.variance));
    absolute = r.interval;
    pValue = r.pValue;
  }
  const relative = relativeLift(t.value, t.variance, c.value, c.variance);
  const n = control.n + treatment.n;
  const seqAbs = confidenceSequence(t.value - c.value, t.variance + c.variance, n, plannedTotal);
  const seqRel = relative.se === null ? null : confidenceSequence(relative.interval.estimate!, relative.se ** 2, n, plannedTotal);
  return {
    absolute_lift: absolute,
    relative_lift: relative.interval,
    p_value: pValue,
    cuped: cupedFigures(kind, control, treatment),
    sequential: { absolute_lift: seqAbs.interval, relative_lift: seqRel?.interval ?? UNDEFINED_INTERVAL, p_value: seqAbs.pValue },
  };
}

function cupedFigures(kind: MetricKind, control: GroupMoments, treatment: GroupMoments): CupedFigures | null {
  const adj = cupedAdjust(kind, control, treatment);
  if (!adj) return null;
  const { control: c, treatment: t } = adj;
  const abs =
    kind === 'mean'
      ? (() => {
          const w = welchDifference(t.value, t.perCustomerVariance, treatment.n, c.value, c.perCustomerVariance, control.n);
          return { interval: w.difference, pValue: w.pValue };
        })()
      : normalInterval(t.value - c.value, Math.sqrt(t.variance + c.variance));
  return {
    absolute_lift: abs.interval,
    relative_lift: relativeLift(t.value, t.variance, c.value, c.variance).interval,
    p_value: abs.pValue,
    theta: adj.theta,
    variance_reduction: adj.varianceReduction,
  };
}
