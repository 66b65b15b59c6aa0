import type { IndependenceTest } from './chi-squared.js';
import type { GroupRepresentation } from './representation.js';

/** Representation ratios outside [1/1.25, 1.25] are said in words; inside they are "about as likely". */
export const RATIO_WORTH_SAYING = 1.25;
/** The significance level the sentences use. */
export const ALPHA = 0.05;

const PLACE = new Set(['country', 'city', 'region', 'state', 'province', 'country_code']);

/** How a group is named in a sentence: "customers in Germany", "customers with plan = pro". */
export function whoIs(attribute: string, label: string, missing: boolean): string {
  if (missing) return `customers without a ${attribute}`;
  const last = attribute.split('.').pop()!.split(':')[0]!;
  if (PLACE.has(last.toLowerCase())) return `customers in ${label}`;
  return label.includes(last) ? `customers with ${label}` : `customers with ${attribute} ${label}`;
}

export function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export function pValueText(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/**
 * The sentences of one group: its representation when far from proportional ("customers in Germany
 * are 0.61× as likely to be in this segment as the base") and the four-fifths rule when it fails.
 */
export function groupFlags(attribute: string, g: GroupRepresentation & { missing: boolean }, highest: GroupRepresentation | undefined, baseRate: number): string[] {
  if (g.small) return [];
  const who = whoIs(attribute, g.group, g.missing);
  const out: string[] = [];
  const r = g.representationRatio;
  if (r < 1 / RATIO_WORTH_SAYING || r > RATIO_WORTH_SAYING) {
    out.push(`${capitalise(who)} are ${r.toFixed(2)}× as likely to be in this segment as the base (${percent(g.rate)} of them, ${percent(baseRate)} of all customers).`);
  }
  if (g.belowFourFifths && highest) {
    out.push(
      `${capitalise(who)} fail the four-fifths rule: their rate is ${g.impactRatio!.toFixed(2)} of that of the most selected group ` +
        `(${highest.group}, ${percent(highest.rate)}).`,
    );
  }
  return out;
}

/** The sentence of the chi-squared test of an attribute. */
export function testFlag(attribute: string, t: IndependenceTest): string {
  if (t.pValue === null) return `No test for ${attribute}: the segment holds everyone or no one, or every customer is in one group.`;
  const stat = `χ² = ${t.chiSquare.toFixed(2)}, ${t.df} degree${t.df === 1 ? '' : 's'} of freedom, ${pValueText(t.pValue)}`;
  const rough = t.minExpected < 5 ? ' Some expected counts are below 5, so read the p-value as rough.' : '';
  return t.pValue < ALPHA
    ? `Membership differs by ${attribute} more than chance explains (${stat}).${rough}`
    : `No evidence that membership differs by ${attribute} (${stat}).${rough}`;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
