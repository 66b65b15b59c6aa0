import type { Queryable } from '../../db.js';

/** The report of the last saved clustering run (cluster_runs keeps only that one), as JSON text. */
export async function latestClusterReport(db: Queryable): Promise<string | undefined> {
  const row = await db.one<{ report: string }>('SELECT report::VARCHAR AS report FROM cluster_runs ORDER BY computed_at DESC LIMIT 1');
  return row?.report;
}
