import { SegmintError } from '../../domain/errors.js';
import { BUCKETS } from './bucket.js';

export interface PlannedGroup {
  readonly name: string;
  /** Relative weight (50 in control:50); shares are weight / Σ weights. */
  readonly weight: number;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/**
 * Reads a split such as `control:50,treatment:50` or `holdout:20,email:80`. The first group is the
 * control every other group is compared with. Names: a letter, then letters, digits, _ or -, at most
 * 40; weights: positive numbers. At least two groups, each named once.
 */
export function parseGroups(text: string, field = '--groups'): PlannedGroup[] {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const groups: PlannedGroup[] = [];
  for (const part of parts) {
    const m = /^([^:]+):\s*([0-9]+(?:\.[0-9]+)?)%?$/.exec(part);
    if (!m) throw new SegmintError('invalid_groups', `${field}: "${part}" is not NAME:WEIGHT (e.g. control:50).`, { field, item: part });
    const name = m[1]!.trim();
    const weight = Number(m[2]);
    if (!NAME.test(name)) {
      throw new SegmintError('invalid_groups', `${field}: group name "${name}" must start with a letter and hold only letters, digits, _ or - (at most 40).`, { field, item: part });
    }
    if (!(weight > 0)) throw new SegmintError('invalid_groups', `${field}: the weight of "${name}" must be above 0.`, { field, item: part });
    if (groups.some((g) => g.name === name)) throw new SegmintError('invalid_groups', `${field}: the group "${name}" is named twice.`, { field, item: part });
    groups.push({ name, weight });
  }
  if (groups.length < 2) {
    throw new SegmintError('invalid_groups', `${field}: an experiment needs at least two groups, control first (e.g. control:50,treatment:50).`, { field });
  }
  return groups;
}

/** Each group's upper bucket bound: cumulative shares of the 2³² buckets, the last exactly 2³². */
export function bucketBounds(groups: readonly PlannedGroup[]): { name: string; upper: number }[] {
  const total = groups.reduce((s, g) => s + g.weight, 0);
  let acc = 0;
  return groups.map((g, i) => {
    acc += g.weight;
    return { name: g.name, upper: i === groups.length - 1 ? BUCKETS : Math.round((acc / total) * BUCKETS) };
  });
}

/** "control:50,treatment:50" again, for display. */
export function formatGroups(groups: readonly PlannedGroup[]): string {
  return groups.map((g) => `${g.name}:${g.weight}`).join(',');
}
