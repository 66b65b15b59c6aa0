import { squaredDistance, type Matrix } from './matrix.js';

export interface KMeansResult {
  /** k × d centres, row-major. */
  readonly centres: Float64Array;
  /** Cluster of each point, 0..k−1. */
  readonly labels: Int32Array;
  /** Sum of squared distances of the points to their centres. */
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Lloyd's k-means from given starting centres: assign every point to its nearest centre, move each
 * centre to the mean of its points, until at most one point in 10,000 changes cluster (none, below
 * 10,000 points) or maxIterations. The last assignment is always to the final centres. A centre left with
 * no points is moved onto the point farthest from its own centre, which is the cheapest repair that
 * lowers the inertia and keeps k clusters. Deterministic: ties go to the lower cluster number.
 */
export function kmeans(x: Matrix, initial: Float64Array, maxIterations = 100): KMeansResult {
  const { n, d, data } = x;
  const k = initial.length / d;
  const centres = Float64Array.from(initial);
  const labels = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const best = assignNearest(data, i, centres, k, d, dist);
      if (labels[i] !== best) {
        labels[i] = best;
        changed++;
      }
    }
    // The long tail of Lloyd's iterations moves a handful of points on large bases; stop there.
    if (changed <= Math.floor(n / 10_000)) {
      converged = true;
      break;
    }
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      counts[c]!++;
      for (let t = 0; t < d; t++) sums[c * d + t]! += data[i * d + t]!;
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i]! > dist[far]!) far = i;
        centres.set(data.subarray(far * d, far * d + d), c * d);
        dist[far] = 0;
        continue;
      }
      for (let t = 0; t < d; t++) centres[c * d + t] = sums[c * d + t]! / counts[c]!;
    }
  }
  // A final assignment to the final centres: after maxIterations the centres moved since the last one.
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    labels[i] = assignNearest(data, i, centres, k, d, dist);
    inertia += dist[i]!;
  }
  return { centres, labels, inertia, iterations, converged };
}

/** The index of the centre nearest to point i; its squared distance goes to dist[i]. */
function assignNearest(
  data: Float64Array,
  i: number,
  centres: Float64Array,
  k: number,
  d: number,
  dist: Float64Array,
): number {
  let best = 0;
  let bestDist = Infinity;
  for (let c = 0; c < k; c++) {
    const s = squaredDistance(data, i, centres, c, d);
    if (s < bestDist) {
      bestDist = s;
      best = c;
    }
  }
  dist[i] = bestDist;
  return best;
}
