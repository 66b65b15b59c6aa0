import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignToCores } from '../../../src/analytics/clusters/numeric/assignToCores.js';
import { bestOfRestarts } from '../../../src/analytics/clusters/numeric/bestOfRestarts.js';
import { chooseK } from '../../../src/analytics/clusters/numeric/chooseK.js';
import { dbscan } from '../../../src/analytics/clusters/numeric/dbscan.js';
import { kmeans } from '../../../src/analytics/clusters/numeric/kmeans.js';
import { kmeansPlusPlus } from '../../../src/analytics/clusters/numeric/kmeansPlusPlus.js';
import { kthNeighbourDistance } from '../../../src/analytics/clusters/numeric/kthNeighbourDistance.js';
import { logTransform } from '../../../src/analytics/clusters/numeric/logTransform.js';
import { fromRows, type Matrix } from '../../../src/analytics/clusters/numeric/matrix.js';
import { seededRandom } from '../../../src/numeric/random.js';
import { sampleIndices } from '../../../src/analytics/clusters/numeric/sampleIndices.js';
import { silhouette } from '../../../src/analytics/clusters/numeric/silhouette.js';
import { standardise } from '../../../src/analytics/clusters/numeric/standardise.js';

const rows = (m: Matrix) => Array.from({ length: m.n }, (_, i) => Array.from(m.data.subarray(i * m.d, i * m.d + m.d)));
const dist = (a: number[], b: number[]) => Math.hypot(...a.map((v, t) => v - b[t]!));

/** Gaussian-ish blobs around the given centres (sum of uniforms), from a seeded source. */
function blobs(centres: number[][], perBlob: number, spread: number, seed: number): { x: Matrix; truth: number[] } {
  const random = seededRandom(seed);
  const noise = () => (random() + random() + random() - 1.5) * spread;
  const pts: number[][] = [];
  const truth: number[] = [];
  centres.forEach((c, k) => {
    for (let i = 0; i < perBlob; i++) {
      pts.push(c.map((v) => v + noise()));
      truth.push(k);
    }
  });
  return { x: fromRows(pts), truth };
}

/** Same partition up to renaming of the clusters. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]!) ?? b[i]) !== b[i] || (ba.get(b[i]!) ?? a[i]) !== a[i]) return false;
    ab.set(a[i]!, b[i]!);
    ba.set(b[i]!, a[i]!);
  }
  return true;
}

/** The silhouette straight from its definition, on arrays of points. */
function bruteSilhouette(pts: number[][], labels: number[]): number {
  const s = pts.map((p, i) => {
    const own = pts.filter((_, j) => j !== i && labels[j] === labels[i]);
    if (own.length === 0) return 0;
    const a = own.reduce((acc, q) => acc + dist(p, q), 0) / own.length;
    const others = [...new Set(labels)].filter((c) => c !== labels[i]);
    if (others.length === 0) return 0;
    const b = Math.min(
      ...others.map((c) => {
        const qs = pts.filter((_, j) => labels[j] === c);
        return qs.reduce((acc, q) => acc + dist(p, q), 0) / qs.length;
      }),
    );
    return Math.max(a, b) > 0 ? (b - a) / Math.max(a, b) : 0;
  });
  return s.reduce((x, y) => x + y, 0) / s.length;
}

const pointsArb = fc.array(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 2, maxLength: 2 }), { minLength: 2, maxLength: 25 });

describe('seeded random and sampling', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(seededRandom(8)()).not.toBe(xs[0]);
    expect(xs.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('samples distinct indices in order', () => {
    const s = sampleIndices(1000, 50, seededRandom(1));
    expect(new Set(s).size).toBe(50);
    expect([...s]).toEqual([...s].sort((p, q) => p - q));
    expect(s.every((i) => i >= 0 && i < 1000)).toBe(true);
    expect([...sampleIndices(5, 10, seededRandom(1))]).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('standardise and logTransform', () => {
  it('gives columns mean 0 and population sd 1; a constant column becomes 0', () => {
    const { z, mean, sd } = standardise(fromRows([[1, 5], [2, 5], [3, 5], [6, 5]]));
    expect([...mean]).toEqual([3, 5]);
    expect(sd[0]).toBeCloseTo(Math.sqrt((4 + 1 + 0 + 9) / 4), 12);
    expect(sd[1]).toBe(1);
    expect(rows(z).map((r) => r[1])).toEqual([0, 0, 0, 0]);
    expect(rows(z).reduce((a, r) => a + r[0]!, 0)).toBeCloseTo(0, 12);
  });

  it('takes log1p of values clamped at 0 and fills missing values with the median', () => {
    const values = Float64Array.from([0, 10, -5, 0, 3, 0, 99, 1]);
    const missing = Uint8Array.from([0, 0, 0, 1, 0, 0, 0, 0]);
    const { x, filled } = logTransform(4, 2, values, missing);
    // column 1: log1p(10), missing, log1p(0), log1p(1) → median of [0, log 2, log 11] = log 2
    expect(rows(x)).toEqual([
      [0, Math.log1p(10)],
      [0, Math.log(2)],
      [Math.log1p(3), 0],
      [Math.log1p(99), Math.log(2)],
    ]);
    expect(filled).toEqual([0, 1]);
  });
});

describe('kmeans', () => {
  it('recovers well separated blobs exactly', async () => {
    const { x, truth } = blobs([[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10]], 60, 2, 3);
    const res = await bestOfRestarts(x, 4, seededRandom(42), { restarts: 5 });
    expect(samePartition(res.labels, truth)).toBe(true);
    expect(res.converged).toBe(true);
  });

  it('gives the event loop a turn between restarts (a running server answers and hears Ctrl-C meanwhile)', async () => {
    const { x } = blobs([[0, 0], [3, 1], [1, 4]], 40, 4, 9);
    let turns = 0;
    let ticking = true;
    const tick = (): void => {
      if (!ticking) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    await bestOfRestarts(x, 3, seededRandom(5), { restarts: 10 });
    ticking = false;
    // one turn at least per restart (the ticker started before the first run)
    expect(turns).toBeGreaterThanOrEqual(10);
  });

  it('is deterministic for a seed', async () => {
    const { x } = blobs([[0, 0], [3, 1], [1, 4]], 40, 4, 9);
    const a = await bestOfRestarts(x, 3, seededRandom(5), { restarts: 3 });
    const b = await bestOfRestarts(x, 3, seededRandom(5), { restarts: 3 });
    expect([...a.labels]).toEqual([...b.labels]);
    expect(a.inertia).toBe(b.inertia);
  });

  it('ends at a fixed point: every point at its nearest centre, every centre the mean of its points', () => {
    fc.assert(
      fc.property(pointsArb, fc.integer({ min: 1, max: 4 }), fc.integer(), (pts, k0, seed) => {
        const x = fromRows(pts);
        const k = Math.min(k0, pts.length);
        const res = kmeans(x, kmeansPlusPlus(x, k, seededRandom(seed)), 500);
        if (!res.converged) return;
        const centres = Array.from({ length: k }, (_, c) => Array.from(res.centres.subarray(c * 2, c * 2 + 2)));
        let inertia = 0;
        pts.forEach((p, i) => {
          const own = dist(p, centres[res.labels[i]!]!);
          inertia += own * own;
          for (const c of centres) expect(own).toBeLessThanOrEqual(dist(p, c) + 1e-9);
        });
        expect(res.inertia).toBeCloseTo(inertia, 6);
        centres.forEach((c, ci) => {
          const members = pts.filter((_, i) => res.labels[i] === ci);
          if (members.length === 0) return;
          for (let t = 0; t < 2; t++) expect(c[t]).toBeCloseTo(members.reduce((a, m) => a + m[t]!, 0) / members.length, 9);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('k-means++ picks distinct data points as centres when there are enough distinct points', () => {
    const x = fromRows([[0, 0], [0, 0], [5, 5], [9, 1]]);
    const c = kmeansPlusPlus(x, 3, seededRandom(2));
    const picked = [0, 1, 2].map((i) => `${c[i * 2]},${c[i * 2 + 1]}`);
    expect(new Set(picked)).toEqual(new Set(['0,0', '5,5', '9,1']));
  });

  it('fits restarts on a sample and refines on all points when the base is large', async () => {
    const { x, truth } = blobs([[0, 0], [8, 8], [-8, 8]], 400, 2, 4);
    const res = await bestOfRestarts(x, 3, seededRandom(1), { restarts: 3, fitSample: 200 });
    expect(res.labels.length).toBe(1200);
    expect(samePartition(res.labels, truth)).toBe(true);
  });
});

describe('silhouette', () => {
  it('equals the definition computed pair by pair', () => {
    fc.assert(
      fc.property(pointsArb, fc.integer({ min: 1, max: 4 }), fc.integer(), (pts, k, seed) => {
        const random = seededRandom(seed);
        const labels = pts.map(() => Math.floor(random() * k));
        expect(silhouette(fromRows(pts), labels, k)).toBeCloseTo(bruteSilhouette(pts, labels), 10);
      }),
      { numRuns: 200 },
    );
  });

  it('chooses the number of blobs that are there', async () => {
    const { x } = blobs([[0, 0], [12, 0], [0, 12], [12, 12], [6, 24]], 50, 2, 11);
    const choice = await chooseK(x, [2, 3, 4, 5, 6, 7, 8], seededRandom(3), { restarts: 5 });
    expect(choice.k).toBe(5);
    expect(choice.candidates.map((c) => c.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const inertias = choice.candidates.map((c) => c.inertia);
    // more clusters never fit worse (best of restarts on well separated data)
    for (let i = 1; i < inertias.length; i++) expect(inertias[i]).toBeLessThanOrEqual(inertias[i - 1]! + 1e-9);
  });
});

describe('dbscan', () => {
  it('finds two rings k-means cannot separate, and the outliers', async () => {
    const random = seededRandom(5);
    const pts: number[][] = [];
    const truth: number[] = [];
    for (const [radius, label] of [[2, 0], [8, 1]] as const) {
      const count = label === 0 ? 100 : 300;
      for (let i = 0; i < count; i++) {
        const a = (2 * Math.PI * i) / count;
        const r = radius + (random() - 0.5) * 0.2;
        pts.push([r * Math.cos(a), r * Math.sin(a)]);
        truth.push(label);
      }
    }
    pts.push([5, 0], [-20, 20], [0, 5]);
    truth.push(-1, -1, -1);
    const x = fromRows(pts);
    const res = dbscan(x, 0.6, 4);
    expect(res.clusters).toBe(2);
    expect(samePartition(res.labels, truth)).toBe(true);
    const km = await bestOfRestarts(fromRows(pts.slice(0, 400)), 2, seededRandom(1), { restarts: 5 });
    expect(samePartition(km.labels, truth.slice(0, 400))).toBe(false);
  });

  it('agrees with the definition: core points have minPoints neighbours, connected cores share a cluster, noise is near no core point', () => {
    fc.assert(
      fc.property(pointsArb, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 2, max: 5 }), (pts, eps, minPoints) => {
        const res = dbscan(fromRows(pts), eps, minPoints);
        const near = (i: number) => pts.map((_, j) => j).filter((j) => dist(pts[i]!, pts[j]!) <= eps);
        pts.forEach((_, i) => {
          const isCore = near(i).length >= minPoints;
          expect(res.core[i] === 1).toBe(isCore);
          // a core point's core neighbours share its cluster; its other neighbours are in some cluster
          // (a border point reachable from two clusters keeps the first)
          if (isCore) for (const j of near(i)) expect(res.core[j] ? res.labels[j] === res.labels[i] : res.labels[j]! >= 0).toBe(true);
          if (res.labels[i] === -1) expect(near(i).some((j) => res.core[j])).toBe(false);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('kthNeighbourDistance equals sorting the distances', () => {
    fc.assert(
      fc.property(pointsArb, fc.integer({ min: 1, max: 3 }), (pts, k0) => {
        const k = Math.min(k0, pts.length - 1);
        const got = kthNeighbourDistance(fromRows(pts), k);
        pts.forEach((p, i) => {
          const ds = pts.filter((_, j) => j !== i).map((q) => dist(p, q)).sort((a, b) => a - b);
          expect(got[i]).toBeCloseTo(ds[k - 1]!, 10);
        });
      }),
    );
  });

  it('assigns other points to the nearest core point within eps', () => {
    const cores = fromRows([[0, 0], [10, 0]]);
    const labels = assignToCores(fromRows([[1, 0], [9, 0], [5, 0], [0, 0.5]]), cores, [0, 1], 2);
    expect([...labels]).toEqual([0, 1, -1, 0]);
  });
});
