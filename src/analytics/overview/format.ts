import { int, money, renderTable } from '../format/table.js';
import type { Overview } from './overview.js';
import { localDate } from '../../domain/time-zone.js';

/**
 * The change column of a revenue window, by the dashboard's rule (docs/dashboard.md; web fmtChange): the
 * change in % when there is a ratio (`change`, from relativeChange: a period before above 0), else the
 * signed difference in money (`+70.00`, `-30.00`), else "-" when both periods are equal. A period before of
 * 0 or below has no meaningful ratio but the difference still says which way revenue went (trial 13, L1).
 */
function changeCell(w: Overview['revenue'][number]): string {
  if (w.change !== null) return `${w.change >= 0 ? '+' : ''}${(100 * w.change).toFixed(1)}%`;
  const cents = Math.round(100 * (w.current - w.previous)); // both are already rounded to cents
  if (cents === 0) return '-';
  return `${cents > 0 ? '+' : '-'}${money(Math.abs(cents) / 100)}`;
}

/** The text form of `segmint overview`. */
export function formatOverview(o: Overview): string {
  const s = o.stats;
  const out = [
    `Overview${o.as_of ? ` as of ${o.as_of}` : ''}${o.time_zone === 'UTC' ? '' : ` (days of ${o.time_zone})`}`,
    // The counts are of all data; said when that reaches past the as-of, so they are not read as "as of" (recheck 7, N5).
    ...(o.stats_after_as_of ? [`All data, to the latest order (${o.stats_through}), orders after ${o.as_of} included; only the revenue windows end at ${o.as_of}:`] : []),
    `  customers              ${int(s.customers)}`,
    `  customers with orders  ${int(s.customers_with_orders)}`,
    `  orders                 ${int(s.orders)}`,
    `  net revenue            ${money(s.net_revenue)}  (identified customers)`,
  ];
  if (o.revenue.length > 0) {
    out.push('', 'Net revenue against the period before:');
    out.push(
      renderTable(
        ['window', 'this period', 'the period before', 'change'],
        o.revenue.map((w) => [`last ${w.days} days`, money(w.current), money(w.previous), changeCell(w)]),
      ),
    );
  } else out.push('', 'No orders yet: import them with `segmint import FILE`.');
  out.push('', o.segments.length === 0 ? 'No segments yet: `segmint segments create NAME --query …`.' : 'Segments:');
  if (o.segments.length > 0) {
    out.push(
      renderTable(
        ['segment', 'members', 'change 7d', 'refreshes', 'as of'],
        o.segments.map((t) => [t.name, int(t.members), t.change7d === null ? '-' : `${t.change7d >= 0 ? '+' : ''}${int(t.change7d)}`, String(t.series.length), (t.refreshedAsOf ? localDate(t.refreshedAsOf, o.time_zone) : 'never')]),
        [false, true, true, true, false],
      ),
    );
  }
  if (o.warnings === null) return out.join('\n');
  out.push('', o.warnings.length === 0 ? 'Data quality: every check passed.' : 'Data quality (see `segmint quality`):');
  for (const w of o.warnings) out.push(`  ${int(w.count)}${w.out_of !== undefined ? ` of ${int(w.out_of)}` : ''}  ${w.title}`);
  return out.join('\n');
}
