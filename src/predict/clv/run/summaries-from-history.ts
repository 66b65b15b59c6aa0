import type { ClvGrain, ClvHistoryColumns } from '../../../store/queries/clv.js';
import type { Summaries } from '../summary.js';
import { DAY_MS } from './options.js';

export interface HistorySummaries extends Summaries {
  /** First holdout transaction, in model units after the calibration end; NaN when none. */
  readonly nextAfterEnd: Float64Array;
}

/**
 * Turns store histories (days since the epoch) into model summaries in `unitDays` units. T runs from the
 * first transaction to the calibration end: with day grain to the calibration end day itself (so a first
 * purchase on 1997-01-01 and an end of 1997-09-30 give T = 272 days, as in the literature); with order grain
 * to the end of that day, because order times fall inside the day.
 */
export function summariesFromHistory(h: ClvHistoryColumns, grain: ClvGrain, calibrationEndExclusive: Date, unitDays: number): HistorySummaries {
  const endDay = calibrationEndExclusive.getTime() / DAY_MS - (grain === 'day' ? 1 : 0);
  const n = h.x.length;
  const out = {
    ids: h.customerIds,
    x: h.x,
    tx: new Float64Array(n),
    T: new Float64Array(n),
    mx: h.meanRepeatSpend,
    xStar: h.xStar,
    nextAfterEnd: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const first = h.firstDay[i] as number;
    out.tx[i] = ((h.lastDay[i] as number) - first) / unitDays;
    out.T[i] = Math.max(0, endDay - first) / unitDays;
    // NaN (no holdout transaction) stays NaN.
    out.nextAfterEnd[i] = ((h.nextDay[i] as number) - endDay) / unitDays;
  }
  return out;
}
