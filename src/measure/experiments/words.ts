import { countOf } from '../../domain/words.js';
import { about, count, decimal, percent, pValue, signedDecimal, signedPercent } from '../format/numbers.js';
import type { Interval } from '../stats/interval.js';
import type { ExperimentAnalysis, GroupFigures } from './analyze.js';
import type { MetricDefinition } from './metrics.js';
import { localDate } from '../../domain/time-zone.js';

const SIGNIFICANT = 0.05;
/** The conventional SRM alarm (Fabijan et al. 2019). */
export const SRM_ALARM = 0.001;

function value(unit: MetricDefinition['unit'], x: number): string {
  return unit === 'rate' ? percent(x) : decimal(x, unit === 'money' ? 2 : 3);
}

function lift(unit: MetricDefinition['unit'], x: number): string {
  return unit === 'rate' ? `${signedDecimal(x * 100, 1)} points` : signedDecimal(x, unit === 'money' ? 2 : 3);
}

function range(unit: MetricDefinition['unit'], i: Interval): string {
  const [lo, hi] = i.ci95;
  if (lo === null || hi === null) return 'no interval';
  return unit === 'rate' ? `${signedDecimal(lo * 100, 1)} to ${signedDecimal(hi * 100, 1)} points` : `${signedDecimal(lo, unit === 'money' ? 2 : 3)} to ${signedDecimal(hi, unit === 'money' ? 2 : 3)}`;
}

type Figures = Omit<GroupFigures, 'summary'>;

/**
 * One treatment group against control for one metric, in plain words with every number: the verdict
 * (a lift, no detectable difference, or not enough data yet with the customers and days still needed),
 * then the values, the lift with its 95% interval and p-value, the CUPED figures and the always-valid
 * interval for early looks.
 */
export function groupSummary(m: MetricDefinition, control: string, controlValue: number | null, f: Figures): string {
  const g = f.group;
  if (f.absolute_lift === null || f.absolute_lift.estimate === null || f.mean === null || controlValue === null) {
    if (f.mean === null || controlValue === null) return `${g}: ${m.label} is not defined yet (${m.name === 'aov' ? 'no orders' : 'no customers'} in ${f.mean === null ? g : control}).`;
    return `${g}: too few customers to compare ${m.label} (${count(f.customers)} here; at least 2 in each group are needed).`;
  }
  // Nothing of the kind recorded in either group (email opens on a shop that sends no email data):
  // "no detectable difference" would read as a finding.
  if (f.mean === 0 && controlValue === 0) {
    return `${g}: no ${m.label} recorded in either group (0 in ${g} and in ${control}), so there is nothing to compare.`;
  }
  const numbers =
    `${m.label} ${value(m.unit, f.mean)} in ${g} vs ${value(m.unit, controlValue)} in ${control}: ${lift(m.unit, f.absolute_lift.estimate)}` +
    (f.relative_lift?.estimate != null ? ` (${signedPercent(f.relative_lift.estimate)})` : '') +
    `, 95% CI ${range(m.unit, f.absolute_lift)}` +
    (f.p_value !== null ? `, ${pValue(f.p_value)}` : '');
  let verdict: string;
  const significant = f.p_value !== null && f.p_value < SIGNIFICANT;
  const up = f.absolute_lift.estimate > 0;
  if (significant) {
    verdict = m.guardrail && up ? `warning: ${g} raised the ${m.label}` : `${g} ${up ? 'raised' : 'lowered'} ${m.label}`;
  } else if (f.power && f.power.power < 0.8 && f.power.more_needed) {
    verdict = `not enough data yet: ${neededWords(f, control)}`;
  } else {
    verdict = `no detectable difference in ${m.label}` + (f.power ? ` (a ${percent(f.power.mde, 0)} lift would be found ${percent(f.power.power, 0)} of the time)` : '');
  }
  const parts = [`${verdict}. ${capitalise(numbers)}.`];
  if (f.cuped && f.cuped.absolute_lift.estimate !== null && f.cuped.variance_reduction >= 0.05) {
    parts.push(
      `Adjusted for each customer's ${m.label} before assignment (CUPED, ${percent(f.cuped.variance_reduction, 0)} less variance): ` +
        `${lift(m.unit, f.cuped.absolute_lift.estimate)}, 95% CI ${range(m.unit, f.cuped.absolute_lift)}` +
        (f.cuped.p_value !== null ? `, ${pValue(f.cuped.p_value)}` : '') +
        '.',
    );
  }
  if (f.sequential && f.sequential.absolute_lift.estimate !== null) {
    parts.push(`Safe to read before the planned end (always-valid 95% interval): ${range(m.unit, f.sequential.absolute_lift)}.`);
  }
  return parts.join(' ');
}

function neededWords(f: Figures, control: string): string {
  const p = f.power!;
  const more = p.more_needed!;
  const mde = percent(p.mde, 0);
  const who =
    Math.abs(more.control - more.treatment) <= Math.max(more.control, more.treatment) * 0.05
      ? `about ${about(Math.max(more.control, more.treatment))} more customers per group`
      : `about ${about(more.control)} more customers in ${control} and ${about(more.treatment)} more in ${f.group}`;
  // A workflow keeps assigning: waiting adds customers, though under a day of assignments gives no pace.
  const when =
    p.days_needed !== null
      ? `, about ${count(p.days_needed)} more days at the current pace`
      : p.accrues
        ? '; customers are still being assigned, but too recently to tell the pace: analyse again in a day or two for the days still needed'
        : '; all customers were split at once, so waiting adds none: split a larger segment or repeat the campaign';
  return `needs ${who} to detect a ${mde} lift (power now ${percent(p.power, 0)})${when}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * What to make of the whole experiment, most important first: a sample-ratio mismatch (do not trust),
 * windows still open, guardrails that moved, then one line per metric and treatment group.
 */
export function experimentSummary(a: Omit<ExperimentAnalysis, 'summary'>, mde: number, tz = 'UTC'): string[] {
  const out: string[] = [];
  if (a.customers === 0) {
    out.push(`No customer was assigned by ${a.as_of.toISOString()}: nothing to analyse yet.`);
    return out;
  }
  if (a.srm_p_value !== null && a.srm_p_value < SRM_ALARM) {
    const seen = Object.entries(a.srm.observed).map(([g, n]) => `${g} ${count(n)} (${percent(n / a.customers)}, planned ${percent(a.srm.planned[g] ?? 0)})`);
    out.push(
      `Do not trust these results: the groups are not the planned sizes (sample ratio mismatch, chi-squared ${decimal(a.srm.chi_square, 1)}, ${pValue(a.srm_p_value)}): ${seen.join(', ')}. ` +
        'Customers were lost or added unevenly; find out why before reading any lift.',
    );
  }
  if (a.complete_windows < a.customers) {
    out.push(
      `Window still open: ${count(a.complete_windows)} of ${count(a.customers)} customers have had their full ${countOf(a.window_days, 'day')}` +
        (a.window_ends_at ? `; the figures will move until ${localDate(a.window_ends_at, tz)}.` : '.') +
        ' Read the always-valid intervals until then.',
    );
  }
  for (const m of a.metrics) for (const g of m.groups) if (g.summary) out.push(g.summary);
  void mde;
  return out;
}
