import type { Queryable } from '../../db.js';

/** An experiment as stored (see migration 013). groups and source_ref come back parsed. */
export interface ExperimentRecord {
  experiment_id: string;
  name: string;
  source: string;
  source_ref: Record<string, unknown>;
  segment_id: string | null;
  groups: { name: string; weight: number }[];
  salt: string;
  assigned_at: Date;
  planned_customers: number | null;
  description: string | null;
  created_at: Date;
}

const SELECT = `SELECT experiment_id, name, source, source_ref, segment_id, groups, salt, assigned_at,
  planned_customers, description, created_at FROM experiments`;

function decode(r: ExperimentRecord): ExperimentRecord {
  // DuckDB hands JSON columns back as text.
  if (typeof r.source_ref === 'string') r.source_ref = JSON.parse(r.source_ref) as Record<string, unknown>;
  if (typeof r.groups === 'string') r.groups = JSON.parse(r.groups) as ExperimentRecord['groups'];
  return r;
}

export async function insertExperiment(db: Queryable, r: ExperimentRecord): Promise<void> {
  await db.run(
    `INSERT INTO experiments (experiment_id, name, source, source_ref, segment_id, groups, salt, assigned_at, planned_customers, description, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      r.experiment_id,
      r.name,
      r.source,
      JSON.stringify(r.source_ref),
      r.segment_id,
      JSON.stringify(r.groups),
      r.salt,
      r.assigned_at,
      r.planned_customers,
      r.description,
      r.created_at,
    ],
  );
}

export async function findExperiment(db: Queryable, name: string): Promise<ExperimentRecord | undefined> {
  const r = await db.one<ExperimentRecord>(`${SELECT} WHERE name = $1`, [name]);
  return r && decode(r);
}

export async function listExperimentRecords(db: Queryable): Promise<ExperimentRecord[]> {
  return (await db.all<ExperimentRecord>(`${SELECT} ORDER BY created_at DESC, name`)).map(decode);
}

/** Removes an experiment and its campaign assignments. */
export async function deleteExperimentRecord(db: Queryable, experimentId: string): Promise<void> {
  await db.run('DELETE FROM experiment_assignments WHERE experiment_id = $1', [experimentId]);
  await db.run('DELETE FROM experiments WHERE experiment_id = $1', [experimentId]);
}

/** Experiments that split a segment, newest first: when each segment was last used by one. */
export async function experimentsBySegment(db: Queryable): Promise<{ segment_id: string; name: string; created_at: Date }[]> {
  return db.all(`SELECT segment_id, name, created_at FROM experiments WHERE segment_id IS NOT NULL ORDER BY created_at DESC`);
}
