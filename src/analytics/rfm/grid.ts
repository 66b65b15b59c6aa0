import { SegmintError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { rfmGridCells, rfmSnapshotInfo } from '../../store/queries/analytics/rfm-grid.js';
import { formatMoment, reportTimeZone } from '../asOf.js';

export interface RfmGridCell {
  r: number;
  f: number;
  customers: number;
  /** share of the scored customers */
  share: number;
  mean_monetary: number;
  mean_m: number;
  /** the segment definition selecting exactly this cell of the snapshot */
  query: string;
}

export interface RfmGrid {
  as_of: string;
  bins: number;
  scored: number;
  computed_at: Date;
  /** every (R, F) cell, R descending (most recent first) then F descending; empty cells included */
  cells: RfmGridCell[];
}

/**
 * Recency × frequency grid of the saved RFM snapshot (the one `segmint rfm` writes and the rfm.*
 * segment fields read), with the mean monetary value of each cell. Reading the snapshot, not
 * recomputing, keeps each cell equal to the segment `rfm.r = R and rfm.f = F`.
 */
export async function rfmGrid(db: Queryable): Promise<RfmGrid> {
  const info = await rfmSnapshotInfo(db);
  if (!info) {
    throw new SegmintError('rfm_not_saved', 'No RFM snapshot is saved yet: run `segmint rfm` (or compute it from the dashboard) to score customers.', {}, 404);
  }
  const found = new Map((await rfmGridCells(db)).map((c) => [`${c.r}:${c.f}`, c]));
  const cells: RfmGridCell[] = [];
  for (let r = info.bins; r >= 1; r--) {
    for (let f = info.bins; f >= 1; f--) {
      const c = found.get(`${r}:${f}`);
      cells.push({
        r,
        f,
        customers: c?.customers ?? 0,
        share: c ? c.customers / info.customers : 0,
        mean_monetary: c ? Math.round(c.mean_monetary * 100) / 100 : 0,
        mean_m: c?.mean_m ?? 0,
        query: `rfm.r = ${r} and rfm.f = ${f}`,
      });
    }
  }
  return { as_of: formatMoment(info.as_of, await reportTimeZone(db)), bins: info.bins, scored: info.customers, computed_at: info.computed_at, cells };
}
