/**
 * RFM groups: a table from (R score, FM score) to a named group with a suggested action. FM is
 * ceil((F + M) / 2), so the table is bins × bins cells and every cell belongs to exactly one group.
 * The defaults below are the contract of docs/metrics.md; a shop can replace them with a JSON file
 * (see loadGroupTable.ts).
 */
export type Bins = 3 | 5;

export interface RfmGroup {
  readonly name: string;
  /** One line telling a marketer what to do with this group. */
  readonly action: string;
  /** R scores and FM scores covered; the group holds every (r, fm) pair of the two lists. */
  readonly r: readonly number[];
  readonly fm: readonly number[];
}

export interface RfmGroupTable {
  readonly bins: Bins;
  readonly groups: readonly RfmGroup[];
}

export const DEFAULT_GROUPS_5: RfmGroupTable = {
  bins: 5,
  groups: [
    { name: 'Champions', action: 'reward them: early access, referrals, no discounts needed', r: [5], fm: [4, 5] },
    { name: 'Loyal Customers', action: 'upsell and ask for reviews', r: [3, 4], fm: [4, 5] },
    { name: 'Potential Loyalists', action: 'offer a membership or loyalty programme', r: [4, 5], fm: [2, 3] },
    { name: 'New Customers', action: 'onboard them and make the second order easy', r: [5], fm: [1] },
    { name: 'Promising', action: 'build the habit with a timely recommendation', r: [4], fm: [1] },
    { name: 'Need Attention', action: 'reactivate with a limited-time offer on what they like', r: [3], fm: [3] },
    { name: 'About to Sleep', action: 'remind them with popular products before they lapse', r: [3], fm: [1, 2] },
    { name: 'At Risk', action: 'win back with a personal offer', r: [1, 2], fm: [3, 4] },
    { name: "Can't Lose Them", action: 'call or write personally; find out what went wrong', r: [1, 2], fm: [5] },
    { name: 'Hibernating', action: 'low-cost reminders only; do not overspend', r: [1, 2], fm: [1, 2] },
  ],
};

/** Three bins: the same names on a coarser grid (1 = worst third, 3 = best third). */
export const DEFAULT_GROUPS_3: RfmGroupTable = {
  bins: 3,
  groups: [
    { name: 'Champions', action: 'reward them: early access, referrals, no discounts needed', r: [3], fm: [3] },
    { name: 'Potential Loyalists', action: 'offer a membership or loyalty programme', r: [3], fm: [2] },
    { name: 'New Customers', action: 'onboard them and make the second order easy', r: [3], fm: [1] },
    { name: 'Loyal Customers', action: 'upsell and ask for reviews', r: [2], fm: [3] },
    { name: 'Need Attention', action: 'reactivate with a limited-time offer on what they like', r: [2], fm: [2] },
    { name: 'About to Sleep', action: 'remind them with popular products before they lapse', r: [2], fm: [1] },
    { name: "Can't Lose Them", action: 'call or write personally; find out what went wrong', r: [1], fm: [3] },
    { name: 'At Risk', action: 'win back with a personal offer', r: [1], fm: [2] },
    { name: 'Hibernating', action: 'low-cost reminders only; do not overspend', r: [1], fm: [1] },
  ],
};

export function defaultGroupTable(bins: Bins): RfmGroupTable {
  return bins === 5 ? DEFAULT_GROUPS_5 : DEFAULT_GROUPS_3;
}

/**
 * The group name of every cell, flattened so that cell (r, fm) is at index (r − 1) × bins + (fm − 1).
 * The SQL receives this list as one parameter and picks the name with list_extract, so the table is
 * data, never SQL text. Assumes a validated table (every cell covered once).
 */
export function cellNames(table: RfmGroupTable): string[] {
  const cells: string[] = new Array<string>(table.bins * table.bins).fill('');
  for (const g of table.groups) {
    for (const r of g.r) for (const fm of g.fm) cells[(r - 1) * table.bins + (fm - 1)] = g.name;
  }
  return cells;
}

/** FM score: the mean of F and M, rounded up. */
export function fmScore(f: number, m: number): number {
  return Math.ceil((f + m) / 2);
}

export function groupOf(table: RfmGroupTable, r: number, fm: number): string {
  const g = table.groups.find((x) => x.r.includes(r) && x.fm.includes(fm));
  if (!g) throw new Error(`RFM group table has no group for R ${r}, FM ${fm}`);
  return g.name;
}
