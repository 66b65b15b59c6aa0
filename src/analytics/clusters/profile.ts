import type { FeatureColumn } from '../../store/queries/analytics/clusters.js';
import { FEATURES } from './features.js';

export interface ClusterProfile {
  /** Cluster number, or −1 for outliers. */
  readonly cluster: number;
  readonly name: string;
  readonly size: number;
  readonly share: number;
  /** Mean of each feature in its own unit (days, orders, money), over customers where it is known. */
  readonly mean: Record<string, number | null>;
  readonly median: Record<string, number | null>;
  /** Mean z-score of each (log-transformed, standardised) feature: how far from the average customer. */
  readonly z: Record<string, number>;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Describes each cluster in the units a marketer knows (means and medians of the raw values) and in
 * z-scores (what the clustering saw), and names it from the z-scores of the `named` features (default:
 * all; a feature equal for everyone says nothing about a cluster and is left out).
 */
export function profileClusters(
  features: readonly FeatureColumn[],
  raw: { values: Float64Array; missing: Uint8Array },
  z: Float64Array,
  labels: ArrayLike<number>,
  clusterIds: readonly number[],
  named: readonly FeatureColumn[] = features,
): ClusterProfile[] {
  const d = features.length;
  const n = labels.length;
  return clusterIds.map((c) => {
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (labels[i] === c) members.push(i);
    const mean: Record<string, number | null> = {};
    const median: Record<string, number | null> = {};
    const zm: Record<string, number> = {};
    features.forEach((f, t) => {
      const known = members.filter((i) => !raw.missing[i * d + t]).map((i) => raw.values[i * d + t]!);
      known.sort((a, b) => a - b);
      const h = known.length >> 1;
      mean[f] = known.length ? round(known.reduce((a, b) => a + b, 0) / known.length, 2) : null;
      median[f] = known.length ? (known.length % 2 ? known[h]! : (known[h - 1]! + known[h]!) / 2) : null;
      zm[f] = members.length ? round(members.reduce((a, i) => a + z[i * d + t]!, 0) / members.length, 3) : 0;
    });
    return {
      cluster: c,
      name: c < 0 ? 'outlier' : nameFromZ(named, zm),
      size: members.length,
      share: n ? members.length / n : 0,
      mean,
      median,
      z: zm,
    };
  });
}

/**
 * "recent, frequent, high spend": one word per feature from its mean z-score, with bands at ±0.3 and
 * ±1 standard deviations. Recency is in days since the last order, so a low z reads "recent". Without
 * any feature to tell customers apart the name says so.
 */
export function nameFromZ(features: readonly FeatureColumn[], z: Record<string, number>): string {
  if (features.length === 0) return 'all customers alike';
  return features
    .map((f) => {
      const v = z[f] ?? 0;
      const band = v <= -1 ? 0 : v <= -0.3 ? 1 : v < 0.3 ? 2 : v < 1 ? 3 : 4;
      return FEATURES[f].words[band];
    })
    .join(', ');
}
