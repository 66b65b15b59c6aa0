import type { Queryable } from '../../store/db.js';
import { segmentPairCounts, segmentSizes } from '../../store/queries/analytics/overlap.js';

export interface OverlapPair {
  readonly a: string;
  readonly b: string;
  readonly a_members: number;
  readonly b_members: number;
  /** Customers in both. */
  readonly both: number;
  /** Customers in either. */
  readonly either: number;
  /** both / either: 1 = the same customers, 0 = nobody shared; 0 when both segments are empty. */
  readonly jaccard: number;
  /** Share of a's members also in b, and of b's also in a. */
  readonly share_of_a_in_b: number;
  readonly share_of_b_in_a: number;
}

export interface OverlapReport {
  readonly segments: readonly { segment_id: string; name: string; members: number }[];
  /** Every pair of saved segments (names, a before b in name order), largest Jaccard first. */
  readonly pairs: readonly OverlapPair[];
}

/**
 * Pairwise overlap of all saved segments from their current members: counts in both and in either,
 * and the Jaccard index both / either. Pairs sharing nobody are listed too, with zeros, so "these two
 * never overlap" is visible.
 */
export async function segmentOverlap(db: Queryable): Promise<OverlapReport> {
  const segments = await segmentSizes(db);
  const shared = new Map((await segmentPairCounts(db)).map((p) => [`${p.a}\u0000${p.b}`, p.both]));
  const pairs: OverlapPair[] = [];
  for (let i = 0; i < segments.length; i++) {
    for (let j = i + 1; j < segments.length; j++) {
      const a = segments[i]!;
      const b = segments[j]!;
      const key = a.segment_id < b.segment_id ? `${a.segment_id}\u0000${b.segment_id}` : `${b.segment_id}\u0000${a.segment_id}`;
      const both = shared.get(key) ?? 0;
      const either = a.members + b.members - both;
      pairs.push({
        a: a.name,
        b: b.name,
        a_members: a.members,
        b_members: b.members,
        both,
        either,
        jaccard: either ? both / either : 0,
        share_of_a_in_b: a.members ? both / a.members : 0,
        share_of_b_in_a: b.members ? both / b.members : 0,
      });
    }
  }
  pairs.sort((x, y) => y.jaccard - x.jaccard || y.both - x.both || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
  return { segments, pairs };
}
