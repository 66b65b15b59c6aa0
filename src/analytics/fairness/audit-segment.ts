import { SegmintError } from '../../domain/errors.js';
import { segmentNotFound } from '../../segments/manage/names.js';
import { membershipMoment, type LiveKeeping } from '../../segments/manage/history.js';
import type { Queryable } from '../../store/db.js';
import { segmentGroupCounts } from '../../store/queries/analytics/fairness.js';
import { findSegmentRecord } from '../../store/queries/segments/definitions.js';
import { resolveAttributes, type Attribute } from './attribute.js';
import { chiSquaredIndependence, type IndependenceTest } from './chi-squared.js';
import { representation, type GroupCount, type GroupRepresentation } from './representation.js';
import { groupFlags, testFlag } from './words.js';

/** Groups with fewer customers than this are not compared one by one (default of --min-group). */
export const DEFAULT_MIN_GROUP = 30;
export const OTHER_GROUP = 'other groups';

export interface AuditedGroup extends GroupRepresentation {
  /** the customers without a value for the attribute */
  readonly missing: boolean;
}

export interface AttributeAudit {
  readonly attribute: string;
  readonly kind: 'trait' | 'metric';
  readonly groups: readonly AuditedGroup[];
  /** the group with the highest rate among those compared (four-fifths reference) */
  readonly highest: string | null;
  /** chi-squared test of independence of membership and group; small groups merged into OTHER_GROUP */
  readonly test: IndependenceTest & { readonly mergedGroups: readonly string[] };
  readonly flags: readonly string[];
}

export interface SegmentAudit {
  readonly segment: string;
  /**
   * the moment the audited membership describes (membershipMoment): now for a segment the running server
   * keeps live, the engine's last recorded moment after a server stopped, else the last refresh
   */
  readonly refreshedAsOf: string;
  /** the last running server refused to keep the segment live: why and when (membershipMoment) */
  readonly notKeptLive?: { readonly reason: string; readonly at: Date };
  /** the definition changed after the audited members were written: they are the old definition's */
  readonly definitionChangedAt?: Date;
  readonly base: number;
  readonly members: number;
  readonly rate: number;
  readonly minGroup: number;
  readonly attributes: readonly AttributeAudit[];
  readonly limits: readonly string[];
}

/** What the audit cannot tell; printed with every audit (docs/fairness.md says more). */
export const AUDIT_LIMITS = [
  'A difference between groups is a fact about this segment, not a verdict: whether it is fair depends on what the segment is for (an offer, an exclusion, a reminder).',
  'Groups come from the data you hold: missing or wrong traits, and groups smaller than the minimum, are not compared one by one.',
  'A segment may follow a group through another field that goes with it (a proxy); grouping by that field shows it.',
  'The four-fifths rule is a rule of thumb from US employment guidelines, not a legal test of your use; p-values of many attributes and groups are not corrected for multiple comparisons.',
];

/**
 * Audits the composition of a saved segment (its stored membership) against the base of live
 * customers, per group of each attribute: selection rate, share of base and of segment, representation
 * ratio, impact ratio and the four-fifths rule, and Pearson's chi-squared test of independence of
 * membership and group (groups under minGroup customers merged into one for the test), with flags in
 * plain words. A tool for the shop's own judgement: see AUDIT_LIMITS.
 */
export async function auditSegment(db: Queryable, name: string, by: string | readonly string[], opts: { minGroup?: number; live?: LiveKeeping } = {}): Promise<SegmentAudit> {
  const minGroup = opts.minGroup ?? DEFAULT_MIN_GROUP;
  if (!Number.isInteger(minGroup) || minGroup < 1) throw new SegmintError('audit_bad_min_group', `--min-group must be a whole number of at least 1, not ${minGroup}.`, { field: 'minGroup' });
  const rec = await findSegmentRecord(db, name);
  if (!rec) throw segmentNotFound(name);
  // The moment the stored members describe, as `segments members` says it (recheck 11: a segment kept live
  // by a running server has members but may have no refresh moment; its rows are current now).
  const { asOf, notKeptLive, definitionChangedAt } = await membershipMoment(db, rec, opts.live ?? 'unknown');
  if (!asOf) {
    throw new SegmintError('segment_not_refreshed', `Segment "${name}" has no stored membership yet: run \`segmint segments refresh ${name}\` first.`, { segment: name });
  }
  const attributes = await resolveAttributes(db, by);
  const audits: AttributeAudit[] = [];
  for (const a of attributes) audits.push(auditAttribute(a, await segmentGroupCounts(db, rec.segment_id, a.sql), minGroup));
  const first = audits[0]!;
  const base = first.groups.reduce((s, g) => s + g.base, 0);
  const members = first.groups.reduce((s, g) => s + g.members, 0);
  return {
    segment: name,
    refreshedAsOf: asOf.toISOString(),
    ...(notKeptLive ? { notKeptLive } : {}),
    ...(definitionChangedAt ? { definitionChangedAt } : {}),
    base,
    members,
    rate: base > 0 ? members / base : 0,
    minGroup,
    attributes: audits,
    limits: AUDIT_LIMITS,
  };
}

/** The audit of one attribute from its group counts (pure: the unit tests call it directly). */
export function auditAttribute(a: Pick<Attribute, 'name' | 'kind' | 'label'>, rows: readonly { group: string | null; base: number; members: number }[], minGroup: number): AttributeAudit {
  const counts: (GroupCount & { missing: boolean })[] = rows.map((r) => ({ group: a.label(r.group), base: r.base, members: r.members, missing: r.group === null }));
  const rep = representation(counts, minGroup);
  const groups: AuditedGroup[] = rep.groups.map((g, i) => ({ ...g, missing: counts[i]!.missing }));
  const large = groups.filter((g) => !g.small);
  const small = groups.filter((g) => g.small && g.base > 0);
  const table = large.map((g) => [g.members, g.base - g.members]);
  if (small.length > 0) table.push([small.reduce((s, g) => s + g.members, 0), small.reduce((s, g) => s + g.base - g.members, 0)]);
  const test = { ...chiSquaredIndependence(table), mergedGroups: small.map((g) => g.group) };
  const highest = groups.find((g) => g.group === rep.highest);
  const flags = [testFlag(a.name, test), ...groups.flatMap((g) => groupFlags(a.name, g, highest, rep.rate))];
  if (small.length > 0) {
    flags.push(
      `${small.length} group${small.length === 1 ? '' : 's'} with fewer than ${minGroup} customers ${small.length === 1 ? 'is' : 'are'} not compared one by one ` +
        `(merged as "${OTHER_GROUP}" for the test): ${small.slice(0, 8).map((g) => g.group).join(', ')}${small.length > 8 ? ', …' : ''}.`,
    );
  }
  return { attribute: a.name, kind: a.kind, groups, highest: rep.highest, test, flags };
}
