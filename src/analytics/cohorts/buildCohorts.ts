import type { CohortCellRow, CohortSizeRow, CohortUnit } from '../../store/queries/analytics/cohorts.js';
import { nextPeriod, periodIndex } from './periodIndex.js';

export interface CohortPeriod {
  readonly period: number;
  readonly active: number;
  /** active / cohort size. */
  readonly retention: number;
  readonly orders: number;
  readonly revenue: number;
  /** Revenue of periods 0..period divided by the cohort size. */
  readonly cumulative_revenue_per_customer: number;
}

export interface Cohort {
  readonly cohort: string;
  readonly customers: number;
  readonly periods: readonly CohortPeriod[];
}

export interface CohortAverage {
  readonly period: number;
  /** Cohorts old enough to have reached this period. */
  readonly cohorts: number;
  readonly customers: number;
  readonly active: number;
  /** Σ active / Σ customers over those cohorts: each customer counts once. */
  readonly retention_weighted: number;
  /** Mean of the cohorts' retention: each cohort counts once. */
  readonly retention_mean: number;
  readonly orders_per_customer: number;
  readonly cumulative_revenue_per_customer: number;
}

export interface CohortReport {
  readonly by: CohortUnit;
  /** The IANA zone whose calendar the periods follow (the workspace time zone); dates are local to it. */
  readonly time_zone: string;
  /** Data run to this midnight; the last period is partial when it ends later. */
  readonly data_end: string;
  readonly last_period_partial: boolean;
  readonly cohorts: readonly Cohort[];
  readonly averages: readonly CohortAverage[];
}

const cents = (x: number) => Math.round(x * 100) / 100;

/**
 * Lays the cells out as a cohort × period grid. Every period a cohort has lived through is present,
 * with zeros where nobody bought, so averages see the drop-outs; periods after the data end are absent.
 */
export function buildCohorts(
  unit: CohortUnit,
  sizes: readonly CohortSizeRow[],
  cells: readonly CohortCellRow[],
  end: { period: string; end: string },
  timeZone = 'UTC',
): CohortReport {
  const byCohort = new Map<string, CohortCellRow[]>();
  for (const c of cells) byCohort.set(c.cohort, [...(byCohort.get(c.cohort) ?? []), c]);
  const cohorts: Cohort[] = sizes.map(({ cohort, customers }) => {
    const last = periodIndex(cohort, end.period, unit);
    const found = new Map((byCohort.get(cohort) ?? []).map((c) => [periodIndex(cohort, c.period, unit), c]));
    let cumulative = 0;
    const periods: CohortPeriod[] = [];
    for (let p = 0; p <= last; p++) {
      const c = found.get(p);
      cumulative += c?.revenue ?? 0;
      periods.push({
        period: p,
        active: c?.active ?? 0,
        retention: (c?.active ?? 0) / customers,
        orders: c?.orders ?? 0,
        revenue: cents(c?.revenue ?? 0),
        cumulative_revenue_per_customer: cents(cumulative / customers),
      });
    }
    return { cohort, customers, periods };
  });
  // Revenue of periods 0..p per cohort, summed once in period order (a sum per cell made this quadratic).
  const revenueTo = new Map(
    cohorts.map((c) => {
      let sum = 0;
      return [c, c.periods.map((q) => (sum += q.revenue))] as const;
    }),
  );
  const longest = cohorts.reduce((m, c) => Math.max(m, c.periods.length), 0);
  const averages: CohortAverage[] = [];
  for (let p = 0; p < longest; p++) {
    const reached = cohorts.filter((c) => c.periods.length > p);
    const customers = reached.reduce((a, c) => a + c.customers, 0);
    const active = reached.reduce((a, c) => a + c.periods[p]!.active, 0);
    const orders = reached.reduce((a, c) => a + c.periods[p]!.orders, 0);
    const cumRevenue = reached.reduce((a, c) => a + revenueTo.get(c)![p]!, 0);
    averages.push({
      period: p,
      cohorts: reached.length,
      customers,
      active,
      retention_weighted: active / customers,
      retention_mean: reached.reduce((a, c) => a + c.periods[p]!.retention, 0) / reached.length,
      orders_per_customer: orders / customers,
      cumulative_revenue_per_customer: cents(cumRevenue / customers),
    });
  }
  return { by: unit, time_zone: timeZone, data_end: end.end, last_period_partial: nextPeriod(end.period, unit) > end.end, cohorts, averages };
}
