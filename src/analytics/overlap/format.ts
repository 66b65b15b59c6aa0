import { int, pct, renderTable } from '../format/table.js';
import type { OverlapReport } from './segmentOverlap.js';

/** The terminal form of `segmint segments overlap`: one row per pair, most similar first. */
export function formatOverlap(rep: OverlapReport): string {
  if (rep.segments.length < 2) {
    return `${rep.segments.length === 0 ? 'There are no saved segments' : 'There is only 1 saved segment'}; overlap needs at least two.`;
  }
  return [
    `Overlap of ${rep.segments.length} segments (Jaccard = in both / in either; 100% = the same customers)`,
    '',
    renderTable(
      ['segment A', 'segment B', 'A', 'B', 'both', 'Jaccard', 'of A in B', 'of B in A'],
      rep.pairs.map((p) => [p.a, p.b, int(p.a_members), int(p.b_members), int(p.both), pct(p.jaccard), pct(p.share_of_a_in_b), pct(p.share_of_b_in_a)]),
      [false, false, true, true, true, true, true, true],
    ),
  ].join('\n');
}
