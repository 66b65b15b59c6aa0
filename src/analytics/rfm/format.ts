import { int, money, pct, renderTable } from '../format/table.js';
import { countOf } from '../../domain/words.js';
import type { RfmMovement } from './movement.js';
import type { RfmReport } from './rfm.js';

/** The terminal form of `segmint rfm`. */
export function formatRfm(rep: RfmReport): string {
  const out: string[] = [];
  out.push(`RFM as of ${rep.as_of}: ${countOf(rep.scored, 'customer')} scored (${rep.bins} bins)${rep.saved ? '; saved for segments' : ''}`);
  for (const w of rep.warnings) out.push(`warning: ${w}`);
  out.push('');
  out.push(
    renderTable(
      ['group', 'customers', 'share', 'suggested action'],
      rep.group_details.map((g) => [g.name, int(g.count), pct(g.share), g.action]),
      [false, true, true, false],
    ),
  );
  out.push('');
  const scores = Object.keys(rep.r);
  out.push(
    renderTable(
      ['score', ...scores],
      (['r', 'f', 'm'] as const).map((d) => [d.toUpperCase(), ...scores.map((s) => int(rep[d][s] ?? 0))]),
    ),
  );
  if (rep.customer) {
    const c = rep.customer;
    out.push('');
    out.push(`Customer ${c.identifier} (${c.customer_id}): ${c.group} — ${c.action}`);
    out.push(
      `  recency ${countOf(c.recency_days, 'day')}, ${countOf(c.frequency, 'order')}, ${money(c.monetary)} spent → R ${c.r}, F ${c.f}, M ${c.m} (score ${c.score})`,
    );
  }
  return out.join('\n');
}

/** The terminal form of `segmint rfm movement`: rows are where customers were, columns where they went. */
export function formatMovement(mv: RfmMovement): string {
  const short = (s: string) => (s.length > 12 ? s.slice(0, 11) + '.' : s);
  const header = ['from \\ to', ...mv.columns.map(short), 'total'];
  const rows = mv.rows.map((r) => {
    const cells = mv.columns.map((c) => mv.matrix[r]![c]!);
    return [r, ...cells.map((x) => (x === 0 ? '.' : int(x))), int(cells.reduce((a, b) => a + b, 0))];
  });
  const top = mv.transitions
    .filter((t) => t.from !== t.to)
    .slice(0, 5)
    .map((t) => `  ${int(t.count)} ${t.from} → ${t.to}`);
  return [
    `RFM movement from ${mv.from} to ${mv.to}: ${countOf(mv.customers_at_from, 'customer')} then, ${int(mv.customers_at_to)} now (${int(mv.new_customers)} new)`,
    '',
    renderTable(header, rows),
    '',
    'Largest moves between groups:',
    ...(top.length ? top : ['  none']),
  ].join('\n');
}
