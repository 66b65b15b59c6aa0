/**
 * Scores values into bins by rank: a value's score is 1 + floor(bins × w / n), at most `bins`, where n
 * is the number of values and w the number of them strictly worse. Equal values therefore get equal
 * scores, and `bins` is the best fifth (or third). `better` says which direction is good: recency is
 * better when lower, frequency and monetary when higher.
 *
 * This is the in-memory reference the SQL scoring is tested against; it sorts once and counts the
 * strictly worse values with a binary search, O(n log n).
 */
export function scoreValues(values: readonly number[], better: 'higher' | 'lower', bins: number): number[] {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  return values.map((v) => {
    // higher is better: worse = strictly smaller = index of the first element >= v.
    // lower is better: worse = strictly larger = n − index of the first element > v.
    const w = better === 'higher' ? firstIndex(sorted, (x) => x >= v) : n - firstIndex(sorted, (x) => x > v);
    return Math.min(bins, 1 + Math.floor((bins * w) / n));
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
