import { SegmintError } from '../../domain/errors.js';
import type { ExperimentRecord } from '../../store/queries/measure/experiments.js';

/** An experiment as the CLI and API show it. */
export interface Experiment {
  readonly name: string;
  /** campaign | workflow | … (see sources.ts) */
  readonly source: string;
  /** The segment split, for a campaign. */
  readonly segment: string | null;
  readonly source_ref: Readonly<Record<string, unknown>>;
  /** The planned split, control first, with how many customers each got. */
  readonly groups: readonly { name: string; weight: number; customers: number }[];
  readonly control: string;
  /** The moment the customers were assigned (for a backtest, the past moment given with --at). */
  readonly assigned_at: Date;
  readonly created_at: Date;
  readonly planned_customers: number | null;
  readonly description: string | null;
  /** The hash salt: with it, anyone can recompute every assignment (bucket.ts). */
  readonly salt: string;
  /** Sample-ratio-mismatch test of the group sizes against the planned split. */
  readonly srm_p_value: number | null;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/;

/** Experiment names: a letter or digit, then letters, digits, spaces, _ . or -, at most 100. */
export function checkExperimentName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || !NAME.test(name) || name !== name.trim()) {
    throw new SegmintError(
      'experiment_name_invalid',
      `${field}: "${String(name)}" is not a usable experiment name: start with a letter or digit, then letters, digits, spaces, _ . or - (at most 100).`,
      { field },
    );
  }
  return name;
}

export function experimentNotFound(name: string): SegmintError {
  return new SegmintError('experiment_not_found', `There is no experiment named "${name}"; \`segmint experiments list\` shows them.`, { name }, 404);
}

/** The record with its group sizes and SRM p-value, as shown. */
export function toExperiment(r: ExperimentRecord, segment: string | null, sizes: ReadonlyMap<string, number>, srm: number | null): Experiment {
  return {
    name: r.name,
    source: r.source,
    segment,
    source_ref: r.source_ref,
    groups: r.groups.map((g) => ({ name: g.name, weight: g.weight, customers: sizes.get(g.name) ?? 0 })),
    control: r.groups[0]!.name,
    assigned_at: r.assigned_at,
    created_at: r.created_at,
    planned_customers: r.planned_customers,
    description: r.description,
    salt: r.salt,
    srm_p_value: srm,
  };
}
