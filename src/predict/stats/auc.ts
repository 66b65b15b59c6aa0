/**
 * Area under the ROC curve: the probability that a randomly chosen positive scores above a randomly
 * chosen negative, a tie counting one half (the Mann–Whitney U statistic divided by n₊·n₋).
 *
 * Computed from ranks in O(n log n): walk the scores in ascending order, group equal scores, and credit
 * each positive with the negatives strictly below it plus half of the negatives tied with it.
 * labels are 1 (positive) or 0 (negative). Returns NaN when either class is empty: the AUC is then
 * undefined, and 0.5 would pretend otherwise.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`auc: ${n} scores but ${labels.length} labels`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let negBelow = 0;
  let positives = 0;
  let credit = 0;
  let i = 0;
  while (i < n) {
    const s = scores[order[i] as number] as number;
    let pos = 0;
    let neg = 0;
    let j = i;
    while (j < n && scores[order[j] as number] === s) {
      if (labels[order[j] as number] === 1) pos++;
      else neg++;
      j++;
    }
    credit += pos * (negBelow + neg / 2);
    negBelow += neg;
    positives += pos;
    i = j;
  }
  const negatives = negBelow;
  if (positives === 0 || negatives === 0) return NaN;
  return credit / (positives * negatives);
}
