import { squaredDistance, type Matrix } from './matrix.js';

/**
 * Mean silhouette width (Rousseeuw 1987) of a labelling: for each point, a = mean distance to the other
 * points of its cluster, b = the smallest mean distance to the points of another cluster, and
 * s = (b − a) / max(a, b); a point alone in its cluster has s = 0. Ranges from −1 to 1; higher means
 * tighter, better separated clusters. Exact, O(n² d): callers pass a sample for large bases.
 */
export function silhouette(x: Matrix, labels: ArrayLike<number>, k: number): number {
  const { n, d, data } = x;
  if (n < 2) return 0;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]!]!++;
  const sums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const s = squaredDistance(data, i, data, j, d);
      sums[labels[j]!]! += Math.sqrt(s);
    }
    const own = labels[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    if (b === Infinity) continue;
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}
