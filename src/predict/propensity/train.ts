import { localDate } from '../../domain/time-zone.js';
import { reportTimeZone } from '../../analytics/asOf.js';
import { SegmintError } from '../../domain/errors.js';
import { countOf } from '../../domain/words.js';
import type { Store } from '../../store/db.js';
import { orderTimeRange, propensityFeatures, purchasersBetween } from '../../store/queries/propensity-features.js';
import { saveModel } from '../../store/queries/propensity-models.js';
import { trainModel, type PropensityModel } from './model.js';
import { CHURN_90D, labelsFor, purchaseTarget, type TargetDef } from './targets.js';
import { shiftDays } from '../../domain/days.js';

export interface TrainedModel {
  readonly modelId: string;
  readonly model: PropensityModel;
}

/** The data's end: the latest order in the store. A live shop's is about now; a historic file's is its last day. */
export async function dataEnd(store: Store): Promise<{ first: Date; last: Date }> {
  const range = await orderTimeRange(store);
  if (!range) {
    throw new SegmintError('no_orders', 'There are no orders of identified customers in the store; import orders first (segmint import FILE).');
  }
  return range;
}

/**
 * Fits one target's model on features at `cutoff` and labels from (cutoff, cutoff + horizon]. The label
 * window must lie inside the data, or customers who will buy would be counted as not buying.
 */
export async function fitTargetAt(store: Store, target: TargetDef, cutoff: Date, last: Date): Promise<PropensityModel> {
  const windowEnd = shiftDays(cutoff, target.horizonDays);
  // Days in messages are the workspace zone's, as --cutoff reads them.
  const tz = await reportTimeZone(store);
  const day = (t: Date) => localDate(t, tz);
  if (windowEnd.getTime() > last.getTime()) {
    throw new SegmintError(
      'cutoff_too_late',
      `Cannot train ${target.name} at cutoff ${day(cutoff)}: its ${target.horizonDays}-day label window ends ` +
        `${day(windowEnd)}, after the last order in the store (${day(last)}). Use a --cutoff of ${day(shiftDays(last, -target.horizonDays))} or earlier.`,
      { target: target.name, cutoff: cutoff.toISOString(), last: last.toISOString() },
    );
  }
  const rows = await propensityFeatures(store, cutoff);
  if (rows.length < 10) {
    throw new SegmintError('too_few_customers', `Only ${rows.length} customer${rows.length === 1 ? '' : 's'} had ordered by ${day(cutoff)}; a propensity model needs at least 10.`, {
      cutoff: cutoff.toISOString(),
    });
  }
  const bought = await purchasersBetween(store, cutoff, windowEnd);
  const y = labelsFor(target, rows.map((r) => r.customer_id), bought);
  refuseOneOutcome(rows.map((r) => r.customer_id), bought, target, cutoff, day(cutoff));
  return trainModel(rows, y, { target: target.name, horizonDays: target.horizonDays, cutoff });
}

/**
 * Trains purchase_<horizon>d and churn_90d and stores them. Without a cutoff each target uses the latest
 * one whose label window is fully observed (last order − horizon).
 */
export async function trainPropensity(
  store: Store,
  options: { cutoff?: Date; horizonDays?: number } = {},
): Promise<TrainedModel[]> {
  const { last } = await dataEnd(store);
  const out: TrainedModel[] = [];
  for (const target of [purchaseTarget(options.horizonDays ?? 30), CHURN_90D]) {
    const cutoff = options.cutoff ?? shiftDays(last, -target.horizonDays);
    const model = await fitTargetAt(store, target, cutoff, last);
    const modelId = `${target.name}@${cutoff.toISOString()}`;
    await saveModel(store, { modelId, target: target.name, horizonDays: target.horizonDays, cutoff, model });
    out.push({ modelId, model });
  }
  return out;
}

/**
 * A model learns who buys from customers who did and customers who did not; when the label window holds
 * only one of the two there is nothing to learn (and the fit would push the intercept to infinity).
 */
function refuseOneOutcome(ids: readonly string[], bought: ReadonlySet<string>, target: TargetDef, cutoff: Date, cutoffDay: string): void {
  const buyers = ids.filter((id) => bought.has(id)).length;
  if (buyers > 0 && buyers < ids.length) return;
  const who = buyers === 0 ? 'None' : 'All';
  throw new SegmintError(
    'one_outcome_only',
    `Cannot train ${target.name} at cutoff ${cutoffDay}: ${who} of the ${ids.length} customers who had ordered by then ordered ` +
      `in the ${countOf(target.horizonDays, 'day')} after it, so there is nothing to tell ${target.churn ? 'churners from returning customers' : 'buyers from non-buyers'}. ` +
      `Choose another --cutoff${target.churn ? '' : ' or a longer --horizon'}.`,
    { target: target.name, cutoff: cutoff.toISOString(), customers: ids.length, buyers },
  );
}
