import { SegmintError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { clusterFeatureRows, metricsRowCount, saveClusterRun, type ClusterFeatures, type FeatureColumn } from '../../store/queries/analytics/clusters.js';
import { dropStaged } from '../../store/queries/staged.js';
import { formatMoment, reportTimeZone } from '../asOf.js';
import { DEFAULT_FEATURES, FEATURES } from './features.js';
import { distinctRows } from './numeric/distinctRows.js';
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
  /** What makes this answer smaller or weaker than asked: fewer distinct customers than k, constant features. */
  readonly warnings: readonly string[];
  readonly iterations?: number;
  readonly saved: boolean;
}

export const AUTO_KS = [2, 3, 4, 5, 6, 7, 8] as const;

/**
 * The most clusters k-means is asked for: past this, clusters are too many to read or to use as
 * segments, and the run's cost (customers × k per iteration and restart) grows without an answer worth it.
 */
export const MAX_K = 1_000;

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
  if (method === 'kmeans') checkK(opts.k, n, opts.asOf);
  const { x, filled } = logTransform(n, d, raw.values, raw.missing);
  const { z, constant } = standardise(x);
  const random = seededRandom(seed);
  const warnings: string[] = [];
  const same = features.filter((_, t) => constant[t]);
  if (same.length > 0) {
    warnings.push(
      `${joinNames(same.map((f) => FEATURES[f].label))} ${same.length === 1 ? 'is' : 'are'} the same for every customer, ` +
        `so ${same.length === 1 ? 'it separates' : 'they separate'} no one and ${same.length === 1 ? 'is' : 'are'} left out of the cluster names.`,
    );
  }
  // k-means cannot find more groups than there are different customers: asking for more would leave
  // centres empty or stacked on one point, and name clusters nobody is in.
  const distinct = distinctRows(z);

  let labels: Int32Array;
  let k: number;
  let score: number | null = null;
  let selection: KCandidate[] | undefined;
  let iterations: number | undefined;
  let info: DbscanInfo | undefined;
  if (method === 'kmeans') {
    const restarts = opts.restarts ?? 10;
    const auto = opts.k === undefined || opts.k === 'auto';
    const ks = AUTO_KS.filter((c) => c <= distinct);
    if (auto && ks.length > 0) {
      const choice = await chooseK(z, ks, random, { restarts, silhouetteSample: sample });
      ({ k } = choice);
      labels = choice.result.labels;
      iterations = choice.result.iterations;
      selection = [...choice.candidates];
      score = choice.candidates.find((c) => c.k === k)!.silhouette;
      if (ks.length < AUTO_KS.length) warnings.push(`Only ${distinct} different kinds of customer, so k was chosen among ${ks.join(', ')}.`);
    } else {
      // opts.k was checked by checkK above.
      k = auto ? 1 : (opts.k as number);
      if (auto) warnings.push(distinctWarning(undefined, distinct, features.length));
      else if (k > distinct) {
        warnings.push(distinctWarning(k, distinct, features.length));
        k = distinct;
      }
      const result = await bestOfRestarts(z, k, random, { restarts });
      labels = result.labels;
      iterations = result.iterations;
      const s = sampleIndices(n, sample, random);
      score = k > 1 ? silhouette(pickRows(z, s), Int32Array.from(s, (i) => labels[i]!), k) : null;
    }
  } else {
    const res = runDbscan(z, random, { sample, eps: opts.eps, minPoints: opts.minPoints });
    info = res.info;
    k = res.clusters;
    labels = res.labels;
  }
  const compact = relabelBySize(labels, k);
  if (compact.k < k) warnings.push(`${k - compact.k} of the ${k} clusters ended up empty and are left out.`);
  ({ labels, k } = compact);
  const ids = Array.from({ length: k }, (_, c) => c);
  const outliers = labels.reduce((a, l) => a + (l < 0 ? 1 : 0), 0);
  const named = features.filter((_, t) => !constant[t]);
  const profiles = profileClusters(features, raw, z.data, labels, outliers ? [...ids, -1] : ids, named);
  const names = uniqueNames(profiles.filter((p) => p.cluster >= 0).map((p) => p.name));
  const clusters = profiles.map((p) => (p.cluster >= 0 ? { ...p, name: names[p.cluster]! } : p));
  const report: ClusterReport = {
    method,
    as_of: formatMoment(opts.asOf, await reportTimeZone(store)),
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
    warnings,
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

/**
 * Renumbers clusters 0.. by decreasing size (ties: old number), so cluster 0 is always the largest, and
 * drops clusters with no customer: a cluster nobody is in has no profile to name.
 */
function relabelBySize(labels: Int32Array, k: number): { labels: Int32Array; k: number } {
  const sizes = new Array<number>(k).fill(0);
  for (const l of labels) if (l >= 0) sizes[l]!++;
  const order = sizes.map((s, c) => ({ s, c })).filter((x) => x.s > 0).sort((a, b) => b.s - a.s || a.c - b.c);
  const map = new Int32Array(k).fill(-1);
  order.forEach(({ c }, i) => (map[c] = i));
  return { labels: labels.map((l) => (l < 0 ? l : map[l]!)), k: order.length };
}

/**
 * Refuses a k no clustering of these customers can have: more clusters than customers (n, those with an
 * order before asOf), or more than MAX_K. A k above the number of *different* customers but within these
 * bounds is answered smaller, with a warning (distinctWarning). Errors name the option (`--k` on the
 * command line, `k` in the API body).
 */
export function checkK(k: ClusterOptions['k'], n: number, asOf: Date): void {
  if (k === undefined || k === 'auto') return;
  if (!Number.isInteger(k)) {
    throw new SegmintError('invalid_option', `--k: ${k} is not a whole number of clusters`, { option: 'k', value: k });
  }
  if (k < 1) {
    throw new SegmintError('invalid_option', `--k: ${k} is too few clusters: ask for at least 1, or for auto.`, { option: 'k', value: k, min: 1 });
  }
  const max = Math.min(n, MAX_K);
  if (k <= max) return;
  const why =
    k > n
      ? `more clusters than customers: ${fmt(n)} customer${n === 1 ? ' has' : 's have'} an order before ${formatMoment(asOf)}`
      : `more than ${fmt(MAX_K)} clusters, too many to read or to use as segments`;
  throw new SegmintError('invalid_option', `--k: ${fmt(k)} is ${why}. Ask for at most ${fmt(max)}, or for auto.`, { option: 'k', value: k, max, customers: n }, 400);
}

const fmt = (x: number): string => x.toLocaleString('en-US');

/** Why fewer clusters than asked: "5 clusters were asked for, but ..."; asked undefined is --k auto. */
export function distinctWarning(asked: number | undefined, distinct: number, features: number): string {
  const rfm = features === 3;
  const kinds =
    distinct === 1
      ? `every customer has the same ${rfm ? 'recency, frequency and monetary value' : `value in each of the ${features} features`}`
      : `the customers have only ${distinct} different combinations of ${rfm ? 'recency, frequency and monetary value' : `their ${features} features`}`;
  const result = distinct === 1 ? 'one cluster holds everyone' : `${distinct} clusters, one per combination`;
  const head = asked === undefined ? 'Choosing k needs at least 2 different kinds of customer' : `${asked} clusters were asked for`;
  return `${head}, but ${kinds}: ${result}.`;
}

/** Two clusters with the same description get their number appended, so names stay unique. */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1);
  return names.map((n, c) => (seen.get(n)! > 1 ? `${n} (${c})` : n));
}

function joinNames(names: readonly string[]): string {
  const cap = (x: string) => x.charAt(0).toUpperCase() + x.slice(1);
  if (names.length === 1) return cap(names[0]!);
  return cap(`${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);
}
