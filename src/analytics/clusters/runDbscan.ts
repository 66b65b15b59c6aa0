import { assignToCores } from './numeric/assignToCores.js';
import { dbscan } from './numeric/dbscan.js';
import { kthNeighbourDistance } from './numeric/kthNeighbourDistance.js';
import { pickRows, type Matrix } from './numeric/matrix.js';
import type { RandomSource } from '../../numeric/random.js';
import { sampleIndices } from './numeric/sampleIndices.js';

export interface DbscanInfo {
  readonly eps: number;
  readonly eps_chosen: 'given' | 'k-distance 95th percentile';
  readonly min_points: number;
  /** Customers DBSCAN itself ran on; the others join the cluster of their nearest core point. */
  readonly sample: number;
  readonly core_points: number;
}

/**
 * DBSCAN on a seeded sample of standardised features. Without --eps the radius is the 95th percentile
 * of each sampled point's distance to its (minPoints − 1)-th neighbour: dense enough that clusters do
 * not melt together, loose enough that only the sparsest ~5% can end up outliers. minPoints defaults
 * to 2 × the number of features, the usual rule of thumb.
 */
export function runDbscan(
  z: Matrix,
  random: RandomSource,
  opts: { sample: number; eps?: number; minPoints?: number },
): { labels: Int32Array; clusters: number; info: DbscanInfo } {
  const minPoints = opts.minPoints ?? 2 * z.d;
  const idx = sampleIndices(z.n, opts.sample, random);
  const s = pickRows(z, idx);
  let eps = opts.eps;
  if (eps === undefined) {
    const kd = kthNeighbourDistance(s, Math.max(1, Math.min(minPoints - 1, s.n - 1))).sort();
    eps = kd[Math.min(kd.length - 1, Math.floor(0.95 * kd.length))]!;
  }
  const res = dbscan(s, eps, minPoints);
  const coreIdx: number[] = [];
  for (let i = 0; i < s.n; i++) if (res.core[i]) coreIdx.push(i);
  const labels =
    idx.length === z.n ? res.labels : assignToCores(z, pickRows(s, coreIdx), coreIdx.map((i) => res.labels[i]!), eps);
  // Sampled points keep DBSCAN's own verdict (a border point may be nearer another cluster's core).
  if (idx.length !== z.n) idx.forEach((row, j) => (labels[row] = res.labels[j]!));
  return {
    labels,
    clusters: res.clusters,
    info: {
      eps: Math.round(eps * 1e4) / 1e4,
      eps_chosen: opts.eps === undefined ? 'k-distance 95th percentile' : 'given',
      min_points: minPoints,
      sample: s.n,
      core_points: coreIdx.length,
    },
  };
}
