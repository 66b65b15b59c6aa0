import { int, money, pct, renderTable } from '../format/table.js';
import type { CohortPeriod, CohortReport } from './buildCohorts.js';

export type CohortMetric = 'customers' | 'revenue' | 'orders';

const CELL: Record<CohortMetric, { title: string; cell: (p: CohortPeriod, size: number) => string }> = {
  customers: { title: 'retention: share of the cohort that ordered in each period', cell: (p) => pct(p.retention, 0) },
  revenue: { title: 'cumulative net revenue per customer of the cohort', cell: (p) => money(p.cumulative_revenue_per_customer) },
  orders: { title: 'orders per customer of the cohort in each period', cell: (p, size) => (p.orders / size).toFixed(2) },
};

/**
 * The terminal grid of `segmint cohorts`: one row per cohort, one column per period since acquisition,
 * and two summary rows (weighted by customers, and the plain mean over cohorts for retention).
 */
export function formatCohorts(rep: CohortReport, metric: CohortMetric): string {
  const spec = CELL[metric];
  const width = rep.averages.length;
  const header = ['cohort', 'customers', ...Array.from({ length: width }, (_, p) => `${rep.by === 'month' ? 'M' : 'W'}${p}`)];
  const label = (c: string) => (rep.by === 'month' ? c.slice(0, 7) : c);
  const rows = rep.cohorts.map((c) => [
    label(c.cohort),
    int(c.customers),
    ...Array.from({ length: width }, (_, p) => (c.periods[p] ? spec.cell(c.periods[p], c.customers) : '')),
  ]);
  const avg = rep.averages;
  const weighted = [
    'all (weighted)',
    int(avg[0]?.customers ?? 0),
    ...avg.map((a) =>
      metric === 'customers' ? pct(a.retention_weighted, 0) : metric === 'revenue' ? money(a.cumulative_revenue_per_customer) : a.orders_per_customer.toFixed(2),
    ),
  ];
  const summary = [weighted];
  if (metric === 'customers') summary.push(['mean of cohorts', '', ...avg.map((a) => pct(a.retention_mean, 0))]);
  const lines = [
    `Cohorts by ${rep.by} of first order: ${spec.title}.`,
    `Data end ${rep.data_end}${rep.time_zone === 'UTC' ? '' : ` (periods and dates in ${rep.time_zone})`}${rep.last_period_partial ? '; the last column is a partial period' : ''}.`,
    '',
    renderTable(header, [...rows, ...summary]),
  ];
  return lines.join('\n');
}
