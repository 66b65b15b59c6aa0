/**
 * Precision among the top `fraction` of customers by score: of the ceil(fraction · n) highest scores,
 * the share whose label is 1. This is what a campaign aimed at "the top 10%" would hit.
 *
 * Ties at the boundary are broken by position (earlier first) so the result is deterministic; with
 * continuous scores ties are rare and the effect is at most one customer.
 */
export function precisionAtFraction(scores: ArrayLike<number>, labels: ArrayLike<number>, fraction: number): number {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`precisionAtFraction: ${n} scores but ${labels.length} labels`);
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`precisionAtFraction: fraction ${fraction} not in (0, 1]`);
  if (n === 0) return NaN;
  const k = Math.ceil(fraction * n);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
  );
  let hits = 0;
  for (let i = 0; i < k; i++) hits += labels[order[i] as number] === 1 ? 1 : 0;
  return hits / k;
}
