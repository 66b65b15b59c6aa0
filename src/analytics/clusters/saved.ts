import { SegmintError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { latestClusterReport } from '../../store/queries/analytics/cluster-run.js';
import type { ClusterReport } from './runClusters.js';

/**
 * The report of the last saved `segmint clusters` run: the clusters behind the `cluster` and
 * `cluster.name` segment fields, with their profiles. Reading it costs nothing; running again does.
 */
export async function savedClusters(db: Queryable): Promise<ClusterReport> {
  const text = await latestClusterReport(db);
  if (text === undefined) {
    throw new SegmintError('clusters_not_saved', 'No clustering is saved yet: run `segmint clusters` (or find clusters from the dashboard).', {}, 404);
  }
  return JSON.parse(text) as ClusterReport;
}
