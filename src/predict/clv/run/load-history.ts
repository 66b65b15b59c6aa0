import { SegmintError } from '../../../domain/errors.js';
import type { ColumnQueryable } from '../../../store/db.js';
import { clvHistories, orderTimeRange, stageClvHistories, type ClvGrain, type StagedClvHistories } from '../../../store/queries/clv.js';
import { DAY_MS, UNIT_DAYS, startOfDay, type TimeUnit } from './options.js';
import { summariesFromHistory, type HistorySummaries } from './summaries-from-history.js';

export interface HistoryWindow {
  /** The last calibration day (inclusive), as its UTC midnight. */
  readonly calibrationEnd: Date;
  /** The last holdout day (inclusive), when there is a holdout. */
  readonly holdoutEnd?: Date;
}

/**
 * Reads the store's orders into model summaries for a calibration window (and an optional holdout).
 * Without a calibration end, the day of the latest order is used: "everything we know". With `stage`, the
 * customer ids stay in the database (data.ids is empty; `staged` names the table that holds them in the
 * same order: see StagedClvHistories; drop it when done).
 */
export async function loadHistory(
  db: ColumnQueryable,
  grain: ClvGrain,
  timeUnit: TimeUnit,
  window: { calibrationEnd?: Date; holdoutEnd?: Date },
  stage = false,
): Promise<{ data: HistorySummaries; window: HistoryWindow; range: { first: Date; last: Date }; staged?: StagedClvHistories }> {
  const range = await orderTimeRange(db);
  if (!range) {
    throw new SegmintError('clv_no_orders', 'The store has no orders with a customer: import orders first (segmint import).', {});
  }
  const calibrationEnd = window.calibrationEnd ?? startOfDay(range.last);
  if (calibrationEnd.getTime() < startOfDay(range.first).getTime()) {
    throw new SegmintError(
      'clv_calibration_before_data',
      `The calibration end ${day(calibrationEnd)} is before the first order (${day(range.first)}).`,
      { calibrationEnd: day(calibrationEnd), firstOrder: day(range.first) },
    );
  }
  if (window.holdoutEnd && window.holdoutEnd.getTime() <= calibrationEnd.getTime()) {
    throw new SegmintError('clv_holdout_before_calibration', `The holdout end ${day(window.holdoutEnd)} must be after the calibration end ${day(calibrationEnd)}.`, {});
  }
  const calExclusive = new Date(calibrationEnd.getTime() + DAY_MS);
  const holdExclusive = window.holdoutEnd ? new Date(window.holdoutEnd.getTime() + DAY_MS) : calExclusive;
  const staged = stage ? await stageClvHistories(db, grain, calExclusive, holdExclusive) : undefined;
  const history = staged ? { customerIds: [], ...staged.columns } : await clvHistories(db, grain, calExclusive, holdExclusive);
  return {
    data: summariesFromHistory(history, grain, calExclusive, UNIT_DAYS[timeUnit]),
    window: window.holdoutEnd ? { calibrationEnd, holdoutEnd: window.holdoutEnd } : { calibrationEnd },
    range,
    ...(staged ? { staged } : {}),
  };
}

export const day = (d: Date): string => d.toISOString().slice(0, 10);
