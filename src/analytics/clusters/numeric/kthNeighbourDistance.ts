import { squaredDistance, type Matrix } from './matrix.js';

/**
 * For every point, the distance to its k-th nearest other point (brute force, O(n² d)). Sorted, these
 * are the "k-distance graph" used to pick DBSCAN's radius: points in dense regions have small values.
 */
export function kthNeighbourDistance(x: Matrix, k: number): Float64Array {
  const { n, d, data } = x;
  const out = new Float64Array(n);
  const nearest = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    nearest.fill(Infinity);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const s = squaredDistance(data, i, data, j, d);
      // keep the k smallest squared distances, sorted ascending, by insertion
      if (s < nearest[k - 1]!) {
        let p = k - 1;
        while (p > 0 && nearest[p - 1]! > s) {
          nearest[p] = nearest[p - 1]!;
          p--;
        }
        nearest[p] = s;
      }
    }
    out[i] = Math.sqrt(nearest[k - 1]!);
  }
  return out;
}
