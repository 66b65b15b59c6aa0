import { SegmintError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { clusterFeatureRows, metricsRowCount, saveClusterRun, type ClusterFeatures, type FeatureColumn } from '../../store/queries/analytics/clusters.js';
import { dropStaged } from '../../store/queries/staged.js';
import { formatMoment } from '../asOf.js';
import { DEFAULT_FEATURES } from './features.js';
import { bestOfRestarts } from './numeric/bestOfRestarts.js';
import { chooseK, type KCandidate } from './numeric/chooseK.js';
import { logTransform } from './numeric/logTransform.js';
import { pickRows } from './numeric/matrix.js';
import { seededRandom } from '../../numeric/random.js';
import { sampleIndices } from './numeric/sampleIndices.js';
import { silhouette } from './numeric/silhouette.js';
import { standardise } from './numeric/standardise.js';
import { runDbscan, type DbscanInfo } from './runDbscan.js';
import { profileClusters, type ClusterProfile } from './profile.js';

export interface ClusterOptions {
  readonly asOf: Date;
  readonly features?: readonly FeatureColumn[];
  readonly method?: 'kmeans' | 'dbscan';
  /** 'auto' picks k in 2..8 by silhouette. */
  readonly k?: 'auto' | number;
  readonly seed?: number;
  readonly restarts?: number;
  /** Points the silhouette (k-means, default 2,000) or DBSCAN (default 5,000) work on; larger bases are sampled. */
  readonly sample?: number;
  readonly eps?: number;
  readonly minPoints?: number;
  readonly save?: boolean;
}

export interface ClusterReport {
  readonly method: 'kmeans' | 'dbscan';
  readonly as_of: string;
  readonly customers: number;
  readonly features: readonly string[];
  /** Missing values replaced by the feature's median, per feature. */
  readonly imputed: Record<string, number>;
  readonly seed: number;
  readonly k: number;
  readonly silhouette: number | null;
  /** Every k tried by --k auto, with its silhouette and inertia. */
  readonly selection?: readonly KCandidate[];
  readonly dbscan?: DbscanInfo;
  readonly outliers: number;
  readonly clusters: readonly ClusterProfile[];
  readonly iterations?: number;
  readonly saved: boolean;
}

export const AUTO_KS = [2, 3, 4, 5, 6, 7, 8] as const;

/**
 * Clusters every customer with an order before asOf on log-transformed, standardised features, names
 * each cluster from its profile and (unless save is false) stores the assignments behind the
 * `cluster` and `cluster.name` segment fields. Same data and seed, same clusters.
 */
export async function runClusters(store: Store, opts: ClusterOptions): Promise<ClusterReport> {
  const features = opts.features ?? DEFAULT_FEATURES;
  const method = opts.method ?? 'kmeans';
  const seed = opts.seed ?? 42;
  const sample = opts.sample ?? (method === 'dbscan' ? 5_000 : 2_000);
  if (features.some((f) => !DEFAULT_FEATURES.includes(f)) && (await metricsRowCount(store)) === 0) {
    throw new SegmintError('metrics_missing', 'Customer metrics have not been computed yet, so only recency, frequency and monetary can be used: run an import first.', {});
  }
  const raw = await clusterFeatureRows(store, opts.asOf, features);
  try {
    return await clusterAndSave(store, opts, features, method, seed, sample, raw);
  } finally {
    await dropStaged(store, raw.customers);
  }
}

async function clusterAndSave(
  store: Store,
  opts: ClusterOptions,
  features: readonly FeatureColumn[],
  method: 'kmeans' | 'dbscan',
  seed: number,
  sample: number,
  raw: ClusterFeatures,
): Promise<ClusterReport> {
  const n = raw.customers.size;
  const d = features.length;
  if (n < 2) {
    throw new SegmintError('too_few_customers', `Clustering needs at least 2 customers with orders before ${formatMoment(opts.asOf)}; there are ${n}.`, { customers: n });
  }
  const { x, filled } = logTransform(n, d, raw.values, raw.missing);
  const { z } = standardise(x);
  const random = seededRandom(seed);

  let labels: Int32Array;
  let k: number;
  let score: number | null = null;
  let selection: KCandidate[] | undefined;
  let iterations: number | undefined;
  let info: DbscanInfo | undefined;
  if (method === 'kmeans') {
    const restarts = opts.restarts ?? 10;
    if (opts.k === undefined || opts.k === 'auto') {
      const choice = chooseK(z, AUTO_KS, random, { restarts, silhouetteSample: sample });
      ({ k } = choice);
      labels = choice.result.labels;
      iterations = choice.result.iterations;
      selection = [...choice.candidates];
      score = choice.candidates.find((c) => c.k === k)!.silhouette;
    } else {
      k = opts.k;
      if (!Number.isInteger(k) || k < 1 || k > n) {
        throw new SegmintError('invalid_option', `--k: ${k} must be a whole number from 1 to the number of customers (${n})`, { option: '--k', value: k });
      }
      const result = bestOfRestarts(z, k, random, { restarts });
      labels = result.labels;
      iterations = result.iterations;
      const s = sampleIndices(n, sample, random);
      score = k > 1 ? silhouette(pickRows(z, s), Int32Array.from(s, (i) => labels[i]!), k) : null;
    }
    labels = relabelBySize(labels, k);
  } else {
    const res = runDbscan(z, random, { sample, eps: opts.eps, minPoints: opts.minPoints });
    info = res.info;
    k = res.clusters;
    labels = relabelBySize(res.labels, k);
  }
  const ids = Array.from({ length: k }, (_, c) => c);
  const outliers = labels.reduce((a, l) => a + (l < 0 ? 1 : 0), 0);
  const profiles = profileClusters(features, raw, z.data, labels, outliers ? [...ids, -1] : ids);
  const names = uniqueNames(profiles.filter((p) => p.cluster >= 0).map((p) => p.name));
  const clusters = profiles.map((p) => (p.cluster >= 0 ? { ...p, name: names[p.cluster]! } : p));
  const report: ClusterReport = {
    method,
    as_of: formatMoment(opts.asOf),
    customers: n,
    features,
    imputed: Object.fromEntries(features.map((f, t) => [f, filled[t]!])),
    seed,
    k,
    silhouette: score,
    ...(selection ? { selection } : {}),
    ...(info ? { dbscan: info } : {}),
    outliers,
    clusters,
    ...(iterations !== undefined ? { iterations } : {}),
    saved: opts.save ?? true,
  };
  if (report.saved) {
    await saveClusterRun(store, {
      runId: `${method}-${seed}-${Date.now()}`,
      method,
      k,
      features,
      seed,
      asOf: opts.asOf,
      report,
      customers: raw.customers,
      labels,
      names,
    });
  }
  return report;
}

/** Renumbers clusters 0.. by decreasing size (ties: old number), so cluster 0 is always the largest. */
function relabelBySize(labels: Int32Array, k: number): Int32Array {
  const sizes = new Array<number>(k).fill(0);
  for (const l of labels) if (l >= 0) sizes[l]!++;
  const order = sizes.map((s, c) => ({ s, c })).sort((a, b) => b.s - a.s || a.c - b.c);
  const map = new Int32Array(k);
  order.forEach(({ c }, i) => (map[c] = i));
  return labels.map((l) => (l < 0 ? l : map[l]!));
}

/** Two clusters with the same description get their number appended, so names stay unique. */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1);
  return names.map((n, c) => (seen.get(n)! > 1 ? `${n} (${c})` : n));
}
