import type { ExperimentAnalysis } from '../experiments/analyze.js';
import type { Experiment } from '../experiments/experiment.js';
import { count, decimal, percent, pValue } from './numbers.js';

/** One line per experiment: name, source, segment, groups with sizes, SRM p-value. */
export function formatExperimentList(list: readonly Experiment[]): string {
  if (list.length === 0) return 'No experiments yet. Create one with `segmint experiments create NAME --segment SEGMENT --groups control:50,treatment:50`.';
  return list
    .map((e) => `${e.name}  ${e.source}${e.segment ? ` of "${e.segment}"` : ''}  assigned ${e.assigned_at.toISOString()}  ${e.groups.map((g) => `${g.name} ${count(g.customers)}`).join(', ')}${srmNote(e.srm_p_value)}`)
    .join('\n');
}

/** The experiment's definition and group sizes. */
export function formatExperiment(e: Experiment): string {
  const total = e.groups.reduce((s, g) => s + g.customers, 0);
  const weights = e.groups.reduce((s, g) => s + g.weight, 0);
  return [
    `experiment:  ${e.name}${e.description ? ` — ${e.description}` : ''}`,
    `source:      ${e.source}${e.segment ? ` (segment "${e.segment}")` : ''}`,
    `assigned at: ${e.assigned_at.toISOString()}`,
    `created at:  ${e.created_at.toISOString()}`,
    `groups:      ${e.groups.map((g) => `${g.name} ${count(g.customers)} (${percent(total ? g.customers / total : 0)}, planned ${percent(g.weight / weights)})`).join(', ')}`,
    `control:     ${e.control}`,
    `SRM:         ${e.srm_p_value === null ? 'no customers' : `${pValue(e.srm_p_value)}${srmNote(e.srm_p_value)}`}`,
    `salt:        ${e.salt}`,
  ].join('\n');
}

function srmNote(p: number | null): string {
  return p !== null && p < 0.001 ? '  (sample ratio mismatch!)' : '';
}

/** The analysis: summary sentences, then a table per metric. */
export function formatAnalysis(a: ExperimentAnalysis): string {
  const lines = [
    `${a.experiment}: ${count(a.customers)} customers, ${a.window_days}-day window, as of ${a.as_of.toISOString()}; SRM ${a.srm_p_value === null ? '—' : pValue(a.srm_p_value)}`,
    '',
    ...a.summary.map((s) => `• ${s}`),
    '',
  ];
  for (const m of a.metrics) {
    lines.push(`${m.metric} — ${m.description}`);
    for (const g of m.groups) {
      const v = g.mean === null ? '—' : m.unit === 'rate' ? percent(g.mean) : decimal(g.mean, m.unit === 'money' ? 2 : 3);
      if (g.absolute_lift === null) {
        lines.push(`  ${g.group.padEnd(14)} ${count(g.customers).padStart(9)}  ${v.padStart(10)}  (control)`);
        continue;
      }
      const rel = g.relative_lift?.estimate != null ? percent(g.relative_lift.estimate) : '—';
      const [lo, hi] = g.relative_lift?.ci95 ?? [null, null];
      // Fieller's set has no bounds when the control value is itself not clearly away from 0 (relative-lift.ts)
      const ci = lo !== null && hi !== null ? `[${percent(lo)}, ${percent(hi)}]` : g.relative_lift?.estimate != null ? '[unbounded]' : '';
      lines.push(
        `  ${g.group.padEnd(14)} ${count(g.customers).padStart(9)}  ${v.padStart(10)}  lift ${rel} ${ci}  ${g.p_value === null ? '' : pValue(g.p_value)}` +
          (g.power ? `  power ${percent(g.power.power, 0)}` : ''),
      );
    }
  }
  return lines.join('\n');
}
