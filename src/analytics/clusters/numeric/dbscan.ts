import type { Matrix } from './matrix.js';

export interface DbscanResult {
  /** Cluster of each point, 0.., or −1 for noise (outliers). */
  readonly labels: Int32Array;
  readonly core: Uint8Array;
  readonly clusters: number;
}

/**
 * DBSCAN (Ester et al. 1996): a point with at least minPoints points (itself included) within eps is
 * a core point; clusters are the core points connected through such neighbourhoods plus the border
 * points within eps of them; everything else is noise. Finds clusters of any shape and says which
 * customers fit none. Brute-force neighbourhoods, O(n² d): meant for a sample of a few thousand.
 * Points are visited in index order, so the labelling is deterministic.
 */
export function dbscan(x: Matrix, eps: number, minPoints: number): DbscanResult {
  const { n, d, data } = x;
  const eps2 = eps * eps;
  const neighbours = (i: number): number[] => {
    const out: number[] = [];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[i * d + t]! - data[j * d + t]!;
        s += diff * diff;
      }
      if (s <= eps2) out.push(j);
    }
    return out;
  };
  const labels = new Int32Array(n).fill(-2); // −2: not visited yet
  const core = new Uint8Array(n);
  let cluster = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== -2) continue;
    const seeds = neighbours(i);
    if (seeds.length < minPoints) {
      labels[i] = -1;
      continue;
    }
    core[i] = 1;
    labels[i] = cluster;
    const queue = seeds.filter((j) => j !== i);
    for (let q = 0; q < queue.length; q++) {
      const j = queue[q]!;
      if (labels[j] === -1) labels[j] = cluster; // noise reached from a core point is a border point
      if (labels[j] !== -2) continue;
      labels[j] = cluster;
      const around = neighbours(j);
      if (around.length >= minPoints) {
        core[j] = 1;
        for (const m of around) if (labels[m] === -2 || labels[m] === -1) queue.push(m);
      }
    }
    cluster++;
  }
  return { labels, core, clusters: cluster };
}
