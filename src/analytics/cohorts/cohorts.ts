import { midnightAfter } from '../../domain/days.js';
import { SegmintError } from '../../domain/errors.js';
import { reportTimeZone } from '../asOf.js';
import type { Queryable } from '../../store/db.js';
import { cohortCells, cohortSizes, dataEnd, type CohortUnit } from '../../store/queries/analytics/cohorts.js';
import { buildCohorts, type CohortReport } from './buildCohorts.js';
import { periodIndex } from './periodIndex.js';

/**
 * The most periods a cohort grid spans: 100 years by month, about 23 by week. Work grows with the
 * square of the span, and a span past this comes from a mis-dated order, not from a shop's history.
 */
export const MAX_COHORT_PERIODS = 1200;

/**
 * Acquisition cohorts of the whole base by month or week of first order, in the calendar of the
 * workspace time zone (`tz`; read from the `workspace.timezone` setting when not given): periods start
 * at local midnights and are labelled with local dates. Orders dated after midnight following `now`'s
 * day (in that zone) cannot have happened yet and are left out, so the grid ends by today
 * (docs/analytics.md). Errors: no orders (`no_orders`); a span of more than MAX_COHORT_PERIODS periods
 * (`cohorts_span_too_long`, naming the first and last period and the limit, and suggesting `--by month`
 * only when weeks were asked for and the same orders fit by month).
 */
export async function runCohorts(db: Queryable, unit: CohortUnit, now: Date = new Date(), tz?: string): Promise<CohortReport> {
  const zone = tz ?? (await reportTimeZone(db));
  const until = midnightAfter(now, zone);
  const end = await dataEnd(db, unit, until, zone);
  if (!end) {
    throw new SegmintError('no_orders', 'There are no orders of identified customers yet: import orders first (segmint import FILE).', {});
  }
  const span = periodIndex(end.first, end.period, unit) + 1;
  if (span > MAX_COHORT_PERIODS) {
    throw new SegmintError(
      'cohorts_span_too_long',
      `The orders span ${span} ${unit}s (${end.first} to ${end.period}); cohorts lay out at most ${MAX_COHORT_PERIODS}. ` +
        `An order dated far in the past is usually a wrong date: see segmint quality${monthsWouldFit(end.first, end.period, unit) ? ', or use --by month' : ' and correct it'}.`,
      { by: unit, first: end.first, last: end.period, periods: span, limit: MAX_COHORT_PERIODS },
    );
  }
  const [sizes, cells] = [await cohortSizes(db, unit, until, zone), await cohortCells(db, unit, until, zone)];
  return buildCohorts(unit, sizes, cells, end, zone);
}

/**
 * Whether a grid refused by `unit` would fit by month: only a weekly grid can be helped by months (a
 * monthly one was asked for already: trial 13, L3), and only when the months from the first week's start
 * to the month after the last week's start (the last week may end in the next month) stay within
 * MAX_COHORT_PERIODS.
 */
function monthsWouldFit(first: string, last: string, unit: CohortUnit): boolean {
  return unit === 'week' && periodIndex(first, last, 'month') + 2 <= MAX_COHORT_PERIODS;
}
