/** One group of an attribute: how many of the base have it, and how many of them are in the segment. */
export interface GroupCount {
  readonly group: string;
  readonly base: number;
  readonly members: number;
}

export interface GroupRepresentation extends GroupCount {
  /** members / base: the share of the group that is in the segment (the selection rate) */
  readonly rate: number;
  /** the group's share of the base, and of the segment */
  readonly shareOfBase: number;
  readonly shareOfSegment: number;
  /** rate ÷ the base's overall rate (= share of segment ÷ share of base): 1 is proportional */
  readonly representationRatio: number;
  /** rate ÷ the highest rate among the compared groups (the impact ratio of the four-fifths rule) */
  readonly impactRatio: number | null;
  /** impact ratio below 0.8 (4/5): the rule of thumb of the US Uniform Guidelines, 29 CFR 1607.4(D) */
  readonly belowFourFifths: boolean;
  /** the group has fewer customers than the audit compares (merged into "other" for the test) */
  readonly small: boolean;
}

export interface Representation {
  readonly base: number;
  readonly members: number;
  readonly rate: number;
  readonly groups: readonly GroupRepresentation[];
  /** the compared group with the highest rate: the four-fifths reference */
  readonly highest: string | null;
}

/**
 * Composition of a segment against its base per group (selection rates, representation ratios and the
 * four-fifths rule). Impact ratios compare only groups with at least `minGroup` customers: a rate from a
 * handful of people is too noisy to be anyone's reference, and those groups are marked small.
 */
export function representation(counts: readonly GroupCount[], minGroup: number): Representation {
  const base = counts.reduce((a, g) => a + g.base, 0);
  const members = counts.reduce((a, g) => a + g.members, 0);
  const rate = base > 0 ? members / base : 0;
  const compared = counts.filter((g) => g.base >= minGroup && g.base > 0);
  let highest: GroupCount | null = null;
  for (const g of compared) if (!highest || g.members / g.base > highest.members / highest.base) highest = g;
  const top = highest && highest.base > 0 ? highest.members / highest.base : 0;
  const groups = counts.map((g): GroupRepresentation => {
    const r = g.base > 0 ? g.members / g.base : 0;
    const small = g.base < minGroup;
    const impact = small || top === 0 ? null : r / top;
    return {
      ...g,
      rate: r,
      shareOfBase: base > 0 ? g.base / base : 0,
      shareOfSegment: members > 0 ? g.members / members : 0,
      representationRatio: rate > 0 ? r / rate : 0,
      impactRatio: impact,
      belowFourFifths: impact !== null && impact < 0.8,
      small,
    };
  });
  return { base, members, rate, groups, highest: highest?.group ?? null };
}
