/**
 * Precision among the top `fraction` of customers by score: of the k = ceil(fraction · n) highest
 * scores, the share whose label is 1. This is what a campaign aimed at "the top 10%" would hit.
 *
 * Ties at the boundary are not broken by row order (that would make the figure depend on how rows
 * happen to be sorted, and give a model that scores everyone alike a made-up precision): the customers
 * tied at the k-th score share the remaining places equally, which is the expected precision over every
 * order of the tie (McSherry & Najork 2008, "Computing information retrieval performance measures
 * efficiently in the presence of tied scores"). With all scores equal it is the base rate.
 */
export function precisionAtFraction(scores: ArrayLike<number>, labels: ArrayLike<number>, fraction: number): number {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`precisionAtFraction: ${n} scores but ${labels.length} labels`);
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`precisionAtFraction: fraction ${fraction} not in (0, 1]`);
  if (n === 0) return NaN;
  const k = Math.ceil(fraction * n);
  const sorted = Array.from({ length: n }, (_, i) => scores[i] as number).sort((a, b) => b - a);
  const threshold = sorted[k - 1] as number;
  let above = 0;
  let hitsAbove = 0;
  let tied = 0;
  let hitsTied = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i] as number;
    const y = labels[i] === 1 ? 1 : 0;
    if (s > threshold) {
      above++;
      hitsAbove += y;
    } else if (s === threshold) {
      tied++;
      hitsTied += y;
    }
  }
  return (hitsAbove + ((k - above) * hitsTied) / tied) / k;
}
