import { SegmintError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { cohortCells, cohortSizes, dataEnd, type CohortUnit } from '../../store/queries/analytics/cohorts.js';
import { buildCohorts, type CohortReport } from './buildCohorts.js';

/** Acquisition cohorts of the whole base by month or week of first order. */
export async function runCohorts(db: Queryable, unit: CohortUnit): Promise<CohortReport> {
  const end = await dataEnd(db, unit);
  if (!end) {
    throw new SegmintError('no_orders', 'There are no orders of identified customers yet: import orders first (segmint import FILE).', {});
  }
  const [sizes, cells] = [await cohortSizes(db, unit), await cohortCells(db, unit)];
  return buildCohorts(unit, sizes, cells, end);
}
