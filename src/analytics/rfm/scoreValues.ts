/**
 * Scores values into bins by their mid-rank: with n values, w of them strictly worse than v and t equal
 * to v (v included), v sits at the mid-distribution position p = (w + t/2) / n, the share of values
 * below it with ties counted half (scipy.stats.percentileofscore(values, v, kind='mean') / 100). Its
 * score is 1 + floor(bins × p), at most `bins`. Equal values therefore get equal scores, `bins` is the
 * best fifth (or third), and a tie is scored at its middle: values all equal (or a single customer) get
 * the middle score, not the worst. `better` says which direction is good: recency is better when lower,
 * frequency and monetary when higher.
 *
 * This is the in-memory reference the SQL scoring is tested against; it sorts once and counts the
 * worse and equal values with binary searches, O(n log n), in integers (floor(bins·(2w + t) / 2n)).
 */
export function scoreValues(values: readonly number[], better: 'higher' | 'lower', bins: number): number[] {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  return values.map((v) => {
    const below = firstIndex(sorted, (x) => x >= v);
    const upTo = firstIndex(sorted, (x) => x > v);
    const t = upTo - below;
    // higher is better: worse = strictly smaller; lower is better: worse = strictly larger.
    const w = better === 'higher' ? below : n - upTo;
    return Math.min(bins, 1 + Math.floor((bins * (2 * w + t)) / (2 * n)));
  });
}
/** The first index in an ascending array where pred holds (pred is monotone), or the length. */
function firstIndex(sorted: Float64Array, pred: (x: number) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(sorted[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
