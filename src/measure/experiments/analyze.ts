import type { Queryable } from '../../store/db.js';
import { outcomeMoments, type GroupMomentRow } from '../../store/queries/measure/outcomes.js';
import { compareToControl, type CupedFigures, type LiftFigures } from '../stats/compare.js';
import { groupValue } from '../stats/group-value.js';
import type { Interval } from '../stats/interval.js';
import type { GroupMoments } from '../stats/moments.js';
import { achievedPower, requiredTotal, TARGET_POWER } from '../stats/power.js';
import { sampleRatioMismatch } from '../stats/srm.js';
import { experimentRecord } from './manage.js';
import { metricVariables, selectMetrics, type MetricDefinition } from './metrics.js';
import { assignmentSource } from './sources.js';
import { experimentSummary, groupSummary } from './words.js';
import { reportTimeZone } from '../../analytics/asOf.js';

export interface AnalyzeOptions {
  /** Comma-separated metric names (metrics.ts); all standard metrics when absent. */
  readonly metrics?: string;
  /** Days after assignment that count (default 30). */
  readonly windowDays?: number;
  /** Analyse as of this moment (default now): later orders and assignments are not seen. */
  readonly asOf?: Date;
  /** The relative lift power is computed for (default 0.10 = 10%). */
  readonly mde?: number;
}

export interface PowerFigures {
  /** The relative lift the figures are for. */
  readonly mde: number;
  /** Chance the test detects that lift now, at level 5%. */
  readonly power: number;
  /** Customers each of the two groups needs for 80% power; null when the control value is 0. */
  readonly customers_needed: { readonly control: number; readonly treatment: number } | null;
  readonly more_needed: { readonly control: number; readonly treatment: number } | null;
  /**
   * Days of assignments still needed at the recent pace; null when assignments do not accrue (a one-off
   * campaign), when nothing more is needed, or when assignments so far span less than a day (too early
   * to tell the pace).
   */
  readonly days_needed: number | null;
  /** True when customers keep being assigned (a workflow): waiting adds customers, even when the pace is not known yet. */
  readonly accrues: boolean;
}

export interface GroupFigures {
  readonly group: string;
  readonly customers: number;
  /** The group's value of the metric (a rate, a mean per customer, or AOV); null when undefined. */
  readonly mean: number | null;
  readonly absolute_lift: Interval | null;
  readonly relative_lift: Interval | null;
  readonly p_value: number | null;
  readonly cuped: CupedFigures | null;
  readonly sequential: LiftFigures | null;
  readonly power: PowerFigures | null;
  /** The comparison with control in plain words; null for control. */
  readonly summary: string | null;
}

export interface MetricAnalysis {
  readonly metric: string;
  readonly description: string;
  readonly unit: MetricDefinition['unit'];
  readonly guardrail: boolean;
  readonly groups: readonly GroupFigures[];
}

export interface ExperimentAnalysis {
  readonly experiment: string;
  readonly source: string;
  readonly as_of: Date;
  readonly window_days: number;
  readonly control: string;
  readonly customers: number;
  /** Customers whose whole window has passed. */
  readonly complete_windows: number;
  /** When the last assigned customer's window ends. */
  readonly window_ends_at: Date | null;
  readonly srm_p_value: number | null;
  readonly srm: { readonly chi_square: number; readonly df: number; readonly planned: Readonly<Record<string, number>>; readonly observed: Readonly<Record<string, number>> };
  readonly metrics: readonly MetricAnalysis[];
  /** What to make of it, in plain words, the most important first. */
  readonly summary: readonly string[];
}

const DAY = 86_400_000;
/** Planned customers of an accruing experiment when none was given: GrowthBook's default tuning. */
const DEFAULT_PLANNED_ACCRUING = 5000;

/**
 * Analyses an experiment: one aggregation pass over its assigned customers (outcomes.ts) gives each
 * group's moments for every metric; each non-control group is then compared with control (lifts with
 * 95% intervals, CUPED, sequential figures: stats/compare.ts), the power to detect `mde` and the customers
 * and days still needed are computed, group sizes are tested for sample-ratio mismatch, and everything
 * is put in plain words. Formulas and sources: docs/experiments.md.
 */
export async function analyzeExperiment(db: Queryable, name: string, opts: AnalyzeOptions = {}): Promise<ExperimentAnalysis> {
  const record = await experimentRecord(db, name);
  const source = assignmentSource(record.source);
  const asOf = opts.asOf ?? new Date();
  const windowDays = opts.windowDays ?? 30;
  const mde = opts.mde ?? 0.1;
  const metrics = selectMetrics(opts.metrics);
  const events = metrics.filter((m) => m.event !== undefined).map((m) => m.event!);
  const requests = metrics.map((m) => ({ key: m.name, variables: metricVariables(m, m.event !== undefined ? events.indexOf(m.event) : 0) }));
  const rows = await outcomeMoments(db, source.relation(record), { windowDays, asOf, events, metrics: requests });
  const byGroup = new Map(rows.map((r) => [r.group_name, r]));
  const planned = record.groups;
  const control = planned[0]!.name;
  const sizes = planned.map((g) => byGroup.get(g.name)?.n ?? 0);
  const customers = rows.reduce((s, r) => s + r.n, 0);
  const srm = sampleRatioMismatch(sizes, planned.map((g) => g.weight));
  const weightSum = planned.reduce((s, g) => s + g.weight, 0);
  const plannedTotal = record.planned_customers ?? (source.accrues ? Math.max(DEFAULT_PLANNED_ACCRUING, customers) : customers);
  const last = rows.reduce<Date | null>((d, r) => (d === null || r.last_assigned_at > d ? r.last_assigned_at : d), null);
  const first = rows.reduce<Date | null>((d, r) => (d === null || r.first_assigned_at < d ? r.first_assigned_at : d), null);
  // The pace so far: customers per day since the first assignment, once a day has passed (less says little).
  const pace = source.accrues && first && asOf.getTime() - first.getTime() >= DAY ? customers / ((asOf.getTime() - first.getTime()) / DAY) : null;

  const metricAnalyses: MetricAnalysis[] = metrics.map((m) => {
    const momentsOf = (g: string): GroupMoments => {
      const r: GroupMomentRow | undefined = byGroup.get(g);
      const d = r?.metrics[m.name];
      return r && d ? { n: r.n, mean: d.mean, cov: d.cov } : { n: 0, mean: [], cov: [] };
    };
    const c = momentsOf(control);
    const cValue = c.n > 0 ? groupValue(m.kind, c) : null;
    const groups: GroupFigures[] = planned.map((g, i) => {
      const t = momentsOf(g.name);
      const value = t.n > 0 ? groupValue(m.kind, t).value : NaN;
      const mean = Number.isFinite(value) ? value : null;
      if (i === 0) {
        return { group: g.name, customers: t.n, mean, absolute_lift: null, relative_lift: null, p_value: null, cuped: null, sequential: null, power: null, summary: null };
      }
      const pairPlanned = Math.max(2, Math.round((plannedTotal * (planned[0]!.weight + g.weight)) / weightSum));
      const cmp = compareToControl(m.kind, c, t, pairPlanned);
      const shares = { control: planned[0]!.weight / weightSum, treatment: g.weight / weightSum };
      const power = cValue && t.n > 0 && liftPossible(m.kind, cValue.value, mde) ? powerFigures(cValue.value, cValue.perCustomerVariance, c.n, groupValue(m.kind, t).perCustomerVariance, t.n, shares, mde, source.accrues, pace, windowDays) : null;
      const figures = { group: g.name, customers: t.n, mean, ...cmp, power, summary: null };
      return { ...figures, summary: groupSummary(m, control, cValue && Number.isFinite(cValue.value) ? cValue.value : null, figures) };
    });
    return { metric: m.name, description: m.description, unit: m.unit, guardrail: m.guardrail, groups };
  });

  const complete = rows.reduce((s, r) => s + r.complete, 0);
  const analysis: Omit<ExperimentAnalysis, 'summary'> = {
    experiment: record.name,
    source: record.source,
    as_of: asOf,
    window_days: windowDays,
    control,
    customers,
    complete_windows: complete,
    window_ends_at: last ? new Date(last.getTime() + windowDays * DAY) : null,
    srm_p_value: srm.pValue,
    srm: {
      chi_square: srm.chiSquare,
      df: srm.df,
      planned: Object.fromEntries(planned.map((g) => [g.name, g.weight / weightSum])),
      observed: Object.fromEntries(planned.map((g, i) => [g.name, sizes[i]!])),
    },
    metrics: metricAnalyses,
  };
  return { ...analysis, summary: experimentSummary(analysis, mde, await reportTimeZone(db)) };
}

/**
 * Whether a relative lift `mde` over the control value can happen at all: a proportion (conversion, an
 * unsubscribe rate) cannot pass 100%, so with 60% converting a 200% lift is no lift any group could show,
 * and power figures for it would be for an impossible effect (they are left out, null). Other kinds have
 * no ceiling. A control value below 0 (net revenue after refunds) has no relative lift at all (trial 12, L5).
 */
export function liftPossible(kind: string, controlValue: number, mde: number): boolean {
  if (controlValue < 0) return false;
  return kind !== 'proportion' || !(controlValue * (1 + mde) > 1);
}

/**
 * Power to detect a relative lift `mde` over the control value with the customers seen so far, the
 * customers each group needs for 80% power at the planned split, and — when assignments accrue at
 * `pace` customers a day across all groups — the days until both groups have them, plus one window for
 * the last of them to be measured. `shares` are the two groups' planned shares of all customers.
 */
function powerFigures(
  controlValue: number,
  controlVar: number,
  nControl: number,
  treatmentVar: number,
  nTreatment: number,
  shares: { control: number; treatment: number },
  mde: number,
  accrues: boolean,
  pace: number | null,
  windowDays: number,
): PowerFigures | null {
  if (!Number.isFinite(controlValue) || !Number.isFinite(controlVar)) return null;
  const effect = mde * controlValue;
  // Before any difference is seen, the treatment's spread is taken to be the control's.
  const varT = Number.isFinite(treatmentVar) && nTreatment > 1 ? treatmentVar : controlVar;
  const se = Math.sqrt(controlVar / Math.max(nControl, 1) + varT / Math.max(nTreatment, 1));
  const power = achievedPower(effect, se);
  if (effect === 0) return { mde, power, customers_needed: null, more_needed: null, days_needed: null, accrues };
  const shareC = shares.control / (shares.control + shares.treatment);
  const total = requiredTotal(effect, controlVar, shareC, varT, 1 - shareC, TARGET_POWER);
  const need = { control: Math.ceil(total * shareC), treatment: Math.ceil(total * (1 - shareC)) };
  const more = { control: Math.max(0, need.control - nControl), treatment: Math.max(0, need.treatment - nTreatment) };
  const moreTotal = more.control + more.treatment;
  // pace counts every group; each of these two gets its planned share of the newcomers.
  const days = moreTotal === 0 || pace === null || pace <= 0 ? null : Math.ceil(Math.max(more.control / shares.control, more.treatment / shares.treatment) / pace) + windowDays;
  return { mde, power, customers_needed: need, more_needed: more, days_needed: days, accrues };
}
