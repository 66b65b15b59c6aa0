import type { MomentWarning } from './stored-moments.js';

/** Thresholds below which a segment is too small to act on, and above which two are the same. */
export interface WarningSettings {
  /** Fewer members than this is too small (default 50). */
  readonly minSize: number;
  /** A smaller share of the base than this is too small (default 0.01 = 1%). */
  readonly minShare: number;
  /** A Jaccard similarity at least this high with a saved segment is a near-duplicate (default 0.9). */
  readonly duplicateJaccard: number;
}

export const defaultWarningSettings: WarningSettings = { minSize: 50, minShare: 0.01, duplicateJaccard: 0.9 };

export type SegmentWarning =
  | { readonly code: 'empty'; readonly message: string }
  | { readonly code: 'too_small'; readonly message: string; readonly count: number; readonly threshold: number }
  | {
      readonly code: 'near_duplicate';
      readonly message: string;
      readonly segment: string;
      readonly jaccard: number;
    }
  | MomentWarning;

export interface OverlapFigures {
  readonly name: string;
  /** Members of the saved segment as of its last refresh. */
  readonly size: number;
  /** How many of those are also in the segment being checked. */
  readonly shared: number;
}

/**
 * Warns against over-segmentation: a segment too small to be worth a campaign (fewer than minSize
 * customers, or less than minShare of the base — whichever is larger), or one that picks nearly the
 * same people as a saved segment (Jaccard |A∩B| / |A∪B| ≥ duplicateJaccard).
 */
export function segmentWarnings(
  count: number,
  base: number,
  overlaps: readonly OverlapFigures[],
  settings: WarningSettings = defaultWarningSettings,
  self?: string,
): SegmentWarning[] {
  const out: SegmentWarning[] = [];
  if (count === 0) {
    out.push({ code: 'empty', message: 'No customer matches this definition.' });
  } else {
    const threshold = Math.max(settings.minSize, Math.ceil(settings.minShare * base));
    if (count < threshold) {
      const pct = base > 0 ? ` (${formatShare(count / base)} of ${base})` : '';
      out.push({
        code: 'too_small',
        message: `Only ${count} customer${count === 1 ? '' : 's'}${pct}: below the minimum of ${threshold} ` +
          `(${settings.minSize} customers or ${formatShare(settings.minShare)} of the base, whichever is larger).`,
        count,
        threshold,
      });
    }
  }
  for (const o of overlaps) {
    if (o.name === self || count === 0 || o.size === 0) continue;
    const jaccard = jaccardIndex(count, o.size, o.shared);
    if (jaccard >= settings.duplicateJaccard) {
      out.push({
        code: 'near_duplicate',
        message: `Nearly the same customers as the saved segment "${o.name}" (Jaccard ${jaccard.toFixed(3)}: ` +
          `${o.shared} shared of ${count} here and ${o.size} there).`,
        segment: o.name,
        jaccard,
      });
    }
  }
  return out;
}

/** |A∩B| / |A∪B| from the two sizes and the intersection. */
export function jaccardIndex(sizeA: number, sizeB: number, shared: number): number {
  const union = sizeA + sizeB - shared;
  return union === 0 ? 1 : shared / union;
}

function formatShare(x: number): string {
  const pct = x * 100;
  return `${pct < 1 && pct > 0 ? pct.toFixed(2) : pct.toFixed(1).replace(/\.0$/, '')}%`;
}
