import { SegmintError } from '../../domain/errors.js';
import type { ExperimentRecord } from '../../store/queries/measure/experiments.js';
import { campaignAssignments } from '../../store/queries/measure/sources/campaign.js';
import type { AssignmentRelation } from '../../store/queries/measure/sources/relation.js';

/**
 * Where an experiment's customers and groups come from. Analysis reads assignments only through a
 * source, so a new way of splitting customers is one object here, not a change to the statistics.
 *
 * - `campaign`: a saved segment split at random when the experiment was created (`experiments create
 *   --segment`); assignments live in experiment_assignments and all carry the same time.
 * - `workflow`, a workflow's split or holdout (registered by src/workflows/assignment-source.ts): `relation` selects
 *   the workflow's recorded (customer, variant, first assigned_at) rows for the step named in the
 *   experiment's source_ref, and `accrues` is true because customers keep entering. See
 *   docs/experiments.md, "Assignment sources".
 */
export interface AssignmentSource {
  readonly kind: string;
  /** The experiment's assignments as SQL (one row per customer). */
  relation(experiment: ExperimentRecord): AssignmentRelation;
  /** True when customers keep being assigned over time, so waiting adds customers. */
  readonly accrues: boolean;
}

const campaignSource: AssignmentSource = {
  kind: 'campaign',
  relation: (e) => campaignAssignments(e.experiment_id),
  accrues: false,
};

const sources = new Map<string, AssignmentSource>([[campaignSource.kind, campaignSource]]);

/** Makes a source available to analysis (workflows call this once at start with their own). */
export function registerAssignmentSource(source: AssignmentSource): void {
  sources.set(source.kind, source);
}

/** The source of an experiment; an unknown kind (a file written by a newer segmint) is a clear error. */
export function assignmentSource(kind: string): AssignmentSource {
  const s = sources.get(kind);
  if (!s) {
    throw new SegmintError('experiment_source_unknown', `This experiment's assignments come from "${kind}", which this segmint cannot read.`, { source: kind }, 409);
  }
  return s;
}
