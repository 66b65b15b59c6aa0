import type { HealthReport } from '../health/check.js';
import type { SegmentKpis } from '../kpis/read.js';
import { count, decimal, percent } from './numbers.js';

const rate = (x: number | null) => (x === null ? '—' : percent(x, 2));
const money = (x: number | null) => (x === null ? '—' : decimal(x, 2));
/** The zone after a day, when the days are not UTC ones (UTC days print as they always did). */
const zone = (tz: string) => (tz === 'UTC' ? '' : ` (${tz})`);

/** One segment: a line per day; several: their totals side by side. */
export function formatKpis(list: readonly SegmentKpis[]): string {
  if (list.length === 1) {
    const k = list[0]!;
    const head = `${'day'.padEnd(10)}  ${'size'.padStart(8)}  ${'+in'.padStart(6)}  ${'−out'.padStart(6)}  ${'orders'.padStart(6)}  ${'revenue'.padStart(11)}  ${'conv'.padStart(7)}  ${'aov'.padStart(8)}  ${'opened'.padStart(7)}  churn-risk low/med/high`;
    const lines = k.days.map(
      (d) =>
        `${d.day}  ${count(d.size).padStart(8)}  ${count(d.entries).padStart(6)}  ${count(d.exits).padStart(6)}  ${count(d.orders).padStart(6)}  ${money(d.revenue).padStart(11)}  ${rate(d.conversion).padStart(7)}  ${money(d.aov).padStart(8)}  ${rate(d.open_rate).padStart(7)}  ` +
        (d.churn_risk ? `${d.churn_risk.low}/${d.churn_risk.medium}/${d.churn_risk.high}` : '—'),
    );
    return [`"${k.segment}" ${k.from} to ${k.to}${zone(k.time_zone)}`, head, ...lines, totalsLine(k)].join('\n');
  }
  const names = list.map((k) => k.segment);
  const w = Math.max(12, ...names.map((n) => n.length));
  const row = (label: string, f: (k: SegmentKpis) => string) => `${label.padEnd(22)}${list.map((k) => f(k).padStart(w + 2)).join('')}`;
  const t = (k: SegmentKpis) => k.totals;
  return [
    `${list[0]!.from} to ${list[0]!.to}${zone(list[0]!.time_zone)}`,
    row('', (k) => k.segment),
    row('size (first → last)', (k) => `${count(t(k).size_first)} → ${count(t(k).size_last)}`),
    row('entered / exited', (k) => `+${count(t(k).entries)} / −${count(t(k).exits)}`),
    row('orders', (k) => count(t(k).orders)),
    row('revenue', (k) => money(t(k).revenue)),
    row('daily conversion', (k) => rate(t(k).daily_conversion)),
    row('average order value', (k) => money(t(k).aov)),
    row('daily open rate', (k) => rate(t(k).daily_open_rate)),
  ].join('\n');
}

function totalsLine(k: SegmentKpis): string {
  const t = k.totals;
  return `total: ${count(t.orders)} orders, revenue ${money(t.revenue)}, daily conversion ${rate(t.daily_conversion)}, AOV ${money(t.aov)}, +${count(t.entries)} / −${count(t.exits)}`;
}

/** The warnings per segment, then those about the whole set. */
export function formatHealth(r: HealthReport): string {
  const lines = [`Segment health at the end of ${r.day}${zone(r.time_zone)} (base ${count(r.base)} customers):`];
  for (const s of r.segments) {
    lines.push(`  ${s.segment} (${count(s.size)} members)${s.warnings.length === 0 ? ': ok' : ':'}`);
    for (const w of s.warnings) lines.push(`    ! ${w.code}: ${w.message}`);
  }
  if (r.segments.length === 0) lines.push('  no saved segments');
  for (const w of r.warnings) lines.push(`! ${w.code}: ${w.message}`);
  return lines.join('\n');
}
