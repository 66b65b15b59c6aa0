import { randomBytes, randomUUID } from 'node:crypto';
import { SegmintError } from '../../domain/errors.js';
import { loadCatalogue } from '../../segments/manage/catalogue.js';
import { compileChecked } from '../../segments/manage/crud.js';
import { segmentNotFound } from '../../segments/manage/names.js';
import type { Store } from '../../store/db.js';
import { assignSegmentMembers } from '../../store/queries/measure/assign.js';
import { findExperiment, insertExperiment, type ExperimentRecord } from '../../store/queries/measure/experiments.js';
import { recordSegmentUse } from '../../store/queries/measure/usage.js';
import { sampleRatioMismatch } from '../stats/srm.js';
import { checkExperimentName, toExperiment, type Experiment } from './experiment.js';
import { bucketBounds, parseGroups, type PlannedGroup } from './groups.js';

export interface CreateExperiment {
  readonly name: string;
  /** The saved segment whose members are split. */
  readonly segment: string;
  /** `control:50,treatment:50`, or the groups already read; the first is control. */
  readonly groups: string | readonly PlannedGroup[];
  /** Assign as of this moment (a backtest); default now. Members are the segment's as of then. */
  readonly at?: Date;
  /** Hash salt; default random. The same salt and members give the same groups. */
  readonly salt?: string;
  /** Customers the analysis plans for (tunes the sequential interval); default the number assigned. */
  readonly plannedCustomers?: number;
  readonly description?: string | null;
}

/**
 * Creates a one-off campaign experiment: evaluates the segment as of `at`, splits its members into the
 * groups by their stable hash bucket (bucket.ts), and records each assignment with that time, all in one
 * transaction. Errors: an unknown segment (404), a name already taken (409), a time in the future, or a
 * segment with no members at that time.
 */
export async function createExperiment(store: Store, input: CreateExperiment, now = new Date()): Promise<Experiment> {
  const name = checkExperimentName(input.name);
  const groups = typeof input.groups === 'string' ? parseGroups(input.groups) : [...input.groups];
  const at = input.at ?? now;
  if (at.getTime() > now.getTime()) {
    throw new SegmintError('experiment_time_future', `--at ${at.toISOString()} is in the future; assign now, or at a past moment for a backtest.`, { field: 'at' });
  }
  if (input.plannedCustomers !== undefined && !(Number.isInteger(input.plannedCustomers) && input.plannedCustomers >= 2)) {
    throw new SegmintError('invalid_planned', `--planned must be a whole number of customers, at least 2.`, { field: 'planned' });
  }
  const catalogue = await loadCatalogue(store);
  const segment = catalogue.records.get(input.segment);
  if (!segment) throw segmentNotFound(input.segment);
  const compiled = compileChecked(catalogue.resolve(input.segment)!, catalogue.resolve, at);
  const salt = input.salt ?? randomBytes(8).toString('hex');
  return store.transaction(async (tx) => {
    if (await findExperiment(tx, name)) {
      throw new SegmintError('experiment_exists', `An experiment named "${name}" already exists.`, { name }, 409);
    }
    const record: ExperimentRecord = {
      experiment_id: `exp_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      name,
      source: 'campaign',
      source_ref: { segment_id: segment.segment_id, segment: segment.name },
      segment_id: segment.segment_id,
      groups: groups.map((g) => ({ name: g.name, weight: g.weight })),
      salt,
      assigned_at: at,
      planned_customers: input.plannedCustomers ?? null,
      description: input.description ?? null,
      created_at: now,
    };
    await insertExperiment(tx, record);
    const sizes = await assignSegmentMembers(tx, compiled, record.experiment_id, salt, bucketBounds(groups), at);
    const total = [...sizes.values()].reduce((s, n) => s + n, 0);
    if (total === 0) {
      throw new SegmintError('experiment_empty', `The segment "${segment.name}" had no members as of ${at.toISOString()}; there is nobody to split.`, { segment: segment.name }, 422);
    }
    await recordSegmentUse(tx, segment.segment_id, 'experiment', name, now);
    const srm = sampleRatioMismatch(groups.map((g) => sizes.get(g.name) ?? 0), groups.map((g) => g.weight)).pValue;
    return toExperiment(record, segment.name, sizes, srm);
  });
}
