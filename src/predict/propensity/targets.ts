import { SegmintError } from '../../domain/errors.js';

/**
 * What a model predicts. A purchase target is "places an order within horizonDays after the as-of
 * time"; churn_90d is its complement over 90 days ("no order within 90 days"), trained on that label
 * directly so its explanations read the right way round.
 */
export interface TargetDef {
  readonly name: string;
  readonly horizonDays: number;
  readonly churn: boolean;
}

export const CHURN_90D: TargetDef = { name: 'churn_90d', horizonDays: 90, churn: true };

/** The longest purchase horizon, in days. */
export const HORIZON_MAX_DAYS = 730;

export function purchaseTarget(horizonDays: number): TargetDef {
  if (!Number.isInteger(horizonDays) || horizonDays < 1 || horizonDays > HORIZON_MAX_DAYS) {
    throw new SegmintError(
      'invalid_horizon',
      `--horizon: "${horizonDays}" is not a whole number of days from 1 to ${HORIZON_MAX_DAYS}`,
      { option: 'horizon', value: horizonDays },
    );
  }
  return { name: `purchase_${horizonDays}d`, horizonDays, churn: false };
}

/** The target a stored model name stands for (purchase_<n>d or churn_90d). */
export function targetByName(name: string): TargetDef {
  if (name === CHURN_90D.name) return CHURN_90D;
  const m = /^purchase_(\d+)d$/.exec(name);
  if (m) return purchaseTarget(Number(m[1]));
  throw new SegmintError('unknown_target', `Unknown propensity target ${name}: expected purchase_<days>d or churn_90d`, { target: name });
}

/** 0/1 labels of a target for the given customers, from the set of those who bought in the window. */
export function labelsFor(target: TargetDef, customerIds: readonly string[], bought: ReadonlySet<string>): Float64Array {
  const y = new Float64Array(customerIds.length);
  customerIds.forEach((id, i) => {
    const b = bought.has(id);
    y[i] = (target.churn ? !b : b) ? 1 : 0;
  });
  return y;
}
