import { registerFields, type FieldDef } from '../segments/catalog/index.js';

/**
 * Segment fields backed by the analytics snapshots: customer_rfm (written by `segmint rfm` /
 * refreshRfmSnapshot) and customer_clusters (written by `segmint clusters`). A customer without a row
 * (no order at the snapshot's as_of, or not clustered) has these fields missing, so they never match
 * a comparison, `!=` included.
 */
export const analyticsFields: readonly FieldDef[] = [
  { name: 'rfm.r', type: 'number', description: 'RFM recency score, 1 (longest ago) to 5 (most recent), as of the saved RFM snapshot.', table: 'customer_rfm', column: 'r' },
  { name: 'rfm.f', type: 'number', description: 'RFM frequency score, 1 (fewest orders) to 5 (most).', table: 'customer_rfm', column: 'f' },
  { name: 'rfm.m', type: 'number', description: 'RFM monetary score, 1 (lowest net spend) to 5 (highest).', table: 'customer_rfm', column: 'm' },
  { name: 'rfm.score', type: 'string', description: 'The three RFM scores as text, e.g. "545".', table: 'customer_rfm', column: 'score' },
  { name: 'rfm.group', type: 'string', description: 'RFM group, e.g. "Champions", "At Risk", "Hibernating".', table: 'customer_rfm', column: 'rfm_group' },
  { name: 'rfm.recency_days', type: 'number', description: 'Whole days from the last order to the RFM snapshot as_of.', table: 'customer_rfm', column: 'recency_days' },
  { name: 'cluster', type: 'number', description: 'Cluster number from the last saved `segmint clusters` run (0 = largest); missing for outliers.', table: 'customer_clusters', column: 'cluster' },
  { name: 'cluster.name', type: 'string', description: 'Readable name of the cluster, e.g. "recent, frequent, high spend", or "outlier".', table: 'customer_clusters', column: 'cluster_name' },
];

/** Adds the analytics fields to the process-wide catalog; safe to call more than once. */
export function registerAnalyticsFields(): void {
  registerFields(analyticsFields);
}
