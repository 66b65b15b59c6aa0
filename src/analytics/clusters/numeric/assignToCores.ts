import { squaredDistance, type Matrix } from './matrix.js';

/**
 * Extends a DBSCAN labelling of a sample to every point: a point joins the cluster of its nearest core
 * point when that point is within eps, and is noise (−1) otherwise, which is how DBSCAN itself treats
 * border and noise points. O(n × cores × d).
 */
export function assignToCores(x: Matrix, cores: Matrix, coreLabels: ArrayLike<number>, eps: number): Int32Array {
  const labels = new Int32Array(x.n).fill(-1);
  const eps2 = eps * eps;
  for (let i = 0; i < x.n; i++) {
    let best = Infinity;
    let label = -1;
    for (let c = 0; c < cores.n; c++) {
      const s = squaredDistance(x.data, i, cores.data, c, x.d);
      if (s < best) {
        best = s;
        label = coreLabels[c]!;
      }
    }
    if (best <= eps2) labels[i] = label;
  }
  return labels;
}
