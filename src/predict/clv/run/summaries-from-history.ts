import type { ClvGrain, ClvHistoryRow } from '../../../store/queries/clv.js';
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
export function summariesFromHistory(rows: readonly ClvHistoryRow[], grain: ClvGrain, calibrationEndExclusive: Date, unitDays: number): HistorySummaries {
  const endDay = calibrationEndExclusive.getTime() / DAY_MS - (grain === 'day' ? 1 : 0);
  const n = rows.length;
  const out = {
    ids: rows.map((r) => r.customer_id),
    x: new Float64Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    mx: new Float64Array(n),
    xStar: new Float64Array(n),
    nextAfterEnd: new Float64Array(n),
  };
  rows.forEach((r, i) => {
    out.x[i] = r.x;
    out.tx[i] = (r.last_day - r.first_day) / unitDays;
    out.T[i] = Math.max(0, endDay - r.first_day) / unitDays;
    out.mx[i] = r.mean_repeat_spend ?? NaN;
    out.xStar[i] = r.x_star;
    out.nextAfterEnd[i] = r.next_day === null ? NaN : (r.next_day - endDay) / unitDays;
  });
  return out;
}
