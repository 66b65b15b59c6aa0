import type { Queryable } from '../../store/db.js';
import { listSegmentRecords } from '../../store/queries/segments/definitions.js';
import { segmentRuns } from '../../store/queries/segments/trend.js';
import { DAY_MS } from '../../domain/days.js';

export interface SegmentTrend {
  name: string;
  members: number;
  refreshedAt: Date | null;
  refreshedAsOf: Date | null;
  /**
   * Members now minus members 7 days before the latest refresh's as_of (by the refreshes recorded
   * then); null when the segment has no recorded refresh that old.
   */
  change7d: number | null;
  /** Size after each refresh that changed membership, oldest first: `at` is that refresh's as_of. */
  series: { at: Date; members: number; entered: number; exited: number }[];
}

/**
 * Sizes of every saved segment over time, from the entries and exits refreshes recorded in
 * segment_history: the size after a run is the sum of entries minus exits up to it.
 */
export async function segmentTrends(db: Queryable): Promise<SegmentTrend[]> {
  const records = await listSegmentRecords(db);
  const runs = await segmentRuns(db);
  const bySegment = new Map<string, typeof runs>();
  for (const r of runs) {
    const list = bySegment.get(r.segment_id) ?? [];
    list.push(r);
    bySegment.set(r.segment_id, list);
  }
  return records.map((rec) => {
    let size = 0;
    const series = (bySegment.get(rec.segment_id) ?? []).map((r) => {
      size += r.entered - r.exited;
      return { at: r.changed_at, members: size, entered: r.entered, exited: r.exited };
    });
    const latest = rec.refreshed_as_of?.getTime() ?? series[series.length - 1]?.at.getTime();
    let change7d: number | null = null;
    if (latest !== undefined) {
      const then = latest - 7 * DAY_MS;
      const before = series.filter((p) => p.at.getTime() <= then);
      if (before.length > 0) change7d = rec.members - before[before.length - 1]!.members;
    }
    return { name: rec.name, members: rec.members, refreshedAt: rec.refreshed_at, refreshedAsOf: rec.refreshed_as_of, change7d, series };
  });
}
