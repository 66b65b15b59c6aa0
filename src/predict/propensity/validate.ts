import { localDate } from '../../domain/time-zone.js';
import { SegmintError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { propensityFeatures, purchasersBetween, type RawFeatureRow } from '../../store/queries/propensity-features.js';
import { calibrationTable, type CalibrationBin } from '../stats/calibration-table.js';
import { bgNbdBaseline } from './bgnbd-baseline.js';
import { scoreModel, type PropensityModel } from './model.js';
import { outcomeWarnings, rankingMetrics, rankingWarnings, type RankingMetrics } from './ranking-metrics.js';
import { CHURN_90D, labelsFor, purchaseTarget, type TargetDef } from './targets.js';
import { reportTimeZone } from '../../analytics/asOf.js';
import { shiftDays } from '../../domain/days.js';
import { dataEnd, fitTargetAt } from './train.js';

export interface BaselineResult extends Partial<RankingMetrics> {
  readonly name: string;
  readonly description: string;
  /** Why the baseline could not be computed, when it could not. */
  readonly unavailable?: string;
}

export interface TargetValidation {
  readonly target: string;
  readonly horizonDays: number;
  /** Features at trainCutoff, labels in (trainCutoff, testCutoff]. */
  readonly trainCutoff: string;
  /** Features at testCutoff, labels in (testCutoff, testCutoff + horizon]: data the model never saw. */
  readonly testCutoff: string;
  readonly train: { customers: number; positives: number };
  readonly test: { customers: number; positives: number; baseRate: number };
  readonly model: RankingMetrics;
  readonly calibration: readonly CalibrationBin[];
  readonly baselines: readonly BaselineResult[];
  /** What limits the comparison: one outcome only in the test window, a ranking that scores everyone alike. */
  readonly warnings: readonly string[];
}

/** The test half of a time split: what the model scored at testCutoff, and what happened next. */
export interface HoldoutScores {
  readonly model: PropensityModel;
  readonly testCutoff: Date;
  /** the customers scored: features at testCutoff */
  readonly rows: readonly RawFeatureRow[];
  /** 1 when the target happened in (testCutoff, testCutoff + horizon] */
  readonly y: Float64Array;
  /** the model's probability per row */
  readonly p: Float64Array;
}

/**
 * Trains `target` at trainCutoff c1 (labels in (c1, c1 + h]) and scores everyone at c2 = c1 + h beside
 * what happened in (c2, c2 + h]: data the model never saw. Shared by validation and the fairness audit
 * of scores. Refuses a cutoff whose test window runs past the last order.
 */
export async function holdoutScores(store: Store, target: TargetDef, trainCutoff: Date, last: Date): Promise<HoldoutScores> {
  const h = target.horizonDays;
  const testCutoff = shiftDays(trainCutoff, h);
  const testEnd = shiftDays(testCutoff, h);
  if (testEnd.getTime() > last.getTime()) {
    // Days in the message are the workspace zone's, as --cutoff reads them.
    const tz = await reportTimeZone(store);
    const day = (t: Date) => localDate(t, tz);
    throw new SegmintError(
      'cutoff_too_late',
      `Cannot validate ${target.name} with training cutoff ${day(trainCutoff)}: the test labels would run to ` +
        `${day(testEnd)}, after the last order (${day(last)}). Use a --cutoff of ${day(shiftDays(last, -2 * h))} or earlier.`,
      { target: target.name, cutoff: trainCutoff.toISOString(), last: last.toISOString() },
    );
  }
  const model = await fitTargetAt(store, target, trainCutoff, last);
  const rows = await propensityFeatures(store, testCutoff);
  const y = labelsFor(target, rows.map((r) => r.customer_id), await purchasersBetween(store, testCutoff, testEnd));
  return { model, testCutoff, rows, y, p: scoreModel(model, rows) };
}

/**
 * Honest time-split validation of one target: train at c1 with labels in (c1, c1 + h], then score
 * everyone at c2 = c1 + h with that model and compare with what happened in (c2, c2 + h]. The test labels
 * come after every label the model was trained on, so nothing leaks. The same test customers are ranked
 * by the baselines: recency alone, and BG/NBD expected purchases in the horizon fitted at c2.
 */
export async function validateTarget(store: Store, target: TargetDef, trainCutoff: Date, last: Date): Promise<TargetValidation> {
  const h = target.horizonDays;
  const { model, testCutoff, rows, y, p } = await holdoutScores(store, target, trainCutoff, last);
  let positives = 0;
  for (const v of y) positives += v;
  // Recency: the longer since the last order, the less likely a purchase (and the likelier churn).
  const sign = target.churn ? 1 : -1;
  const recency = Float64Array.from(rows, (r) => sign * r.recency_days);
  const bg = bgNbdBaseline(rows, h);
  const baselines: BaselineResult[] = [
    { name: 'recency', description: 'days since the last order only', ...rankingMetrics(recency, y) },
    'unavailable' in bg
      ? { name: 'bg-nbd', description: bg.description, unavailable: bg.unavailable }
      : {
          name: 'bg-nbd',
          description: bg.description,
          ...rankingMetrics(
            Float64Array.from(bg.expected, (e) => -sign * e),
            y,
          ),
        },
  ];
  const warnings = [
    ...outcomeWarnings(target.churn ? `went ${h} days without an order` : `ordered within ${h} days`, y),
    ...rankingWarnings('The model', p),
    ...rankingWarnings('Recency', recency),
  ];
  return {
    target: target.name,
    horizonDays: h,
    trainCutoff: trainCutoff.toISOString(),
    testCutoff: testCutoff.toISOString(),
    train: { customers: model.trainedOn, positives: model.positives },
    test: { customers: rows.length, positives, baseRate: rows.length ? positives / rows.length : NaN },
    model: rankingMetrics(p, y),
    calibration: calibrationTable(p, y, 10),
    baselines,
    warnings,
  };
}

/**
 * Validates purchase_<horizon>d and churn_90d. Without --cutoff each uses the latest training cutoff whose
 * test window is fully observed: last order − 2 × horizon.
 */
export async function validatePropensity(
  store: Store,
  options: { cutoff?: Date; horizonDays?: number } = {},
): Promise<TargetValidation[]> {
  const { last } = await dataEnd(store);
  const out: TargetValidation[] = [];
  for (const target of [purchaseTarget(options.horizonDays ?? 30), CHURN_90D]) {
    const c1 = options.cutoff ?? shiftDays(last, -2 * target.horizonDays);
    out.push(await validateTarget(store, target, c1, last));
  }
  return out;
}
