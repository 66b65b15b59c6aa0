import type { Queryable, Store } from '../../store/db.js';
import { assignmentCounts } from '../../store/queries/measure/counts.js';
import { deleteExperimentRecord, findExperiment, listExperimentRecords, type ExperimentRecord } from '../../store/queries/measure/experiments.js';
import { listSegmentRecords } from '../../store/queries/segments/definitions.js';
import { sampleRatioMismatch } from '../stats/srm.js';
import { experimentNotFound, toExperiment, type Experiment } from './experiment.js';
import { assignmentSource } from './sources.js';

/** The stored record of an experiment, or a 404 naming it. */
export async function experimentRecord(db: Queryable, name: string): Promise<ExperimentRecord> {
  const r = await findExperiment(db, name);
  if (!r) throw experimentNotFound(name);
  return r;
}

async function describe(db: Queryable, r: ExperimentRecord, segmentNames: ReadonlyMap<string, string>): Promise<Experiment> {
  const sizes = await assignmentCounts(db, assignmentSource(r.source).relation(r));
  const srm = sampleRatioMismatch(r.groups.map((g) => sizes.get(g.name) ?? 0), r.groups.map((g) => g.weight)).pValue;
  const segment = r.segment_id ? (segmentNames.get(r.segment_id) ?? String(r.source_ref.segment ?? '') + ' (deleted)') : null;
  return toExperiment(r, segment, sizes, srm);
}

async function segmentNames(db: Queryable): Promise<Map<string, string>> {
  return new Map((await listSegmentRecords(db)).map((s) => [s.segment_id, s.name]));
}

/** Every experiment, newest first, with its group sizes and SRM p-value. */
export async function listExperiments(db: Queryable): Promise<Experiment[]> {
  const names = await segmentNames(db);
  const out: Experiment[] = [];
  for (const r of await listExperimentRecords(db)) out.push(await describe(db, r, names));
  return out;
}

/** One experiment by name (404 when unknown). */
export async function getExperiment(db: Queryable, name: string): Promise<Experiment> {
  return describe(db, await experimentRecord(db, name), await segmentNames(db));
}

/** Deletes an experiment and its campaign assignments (404 when unknown). */
export async function deleteExperiment(store: Store, name: string): Promise<void> {
  await store.transaction(async (tx) => {
    const r = await experimentRecord(tx, name);
    await deleteExperimentRecord(tx, r.experiment_id);
  });
}
