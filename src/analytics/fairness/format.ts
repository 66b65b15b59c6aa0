import { displayWidth, fitDisplay } from '../../domain/display-width.js';
import { countOf } from '../../domain/words.js';
import type { SegmentAudit } from './audit-segment.js';
import type { ScoresAudit } from './audit-scores.js';
import { pValueText } from './words.js';
import { refusedText, staleText } from '../../segments/manage/format.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(6);
const n = (x: number): string => x.toLocaleString('en-US');

/** A segment audit as text: per attribute, the groups as a table, then the findings in words. */
export function formatSegmentAudit(a: SegmentAudit): string {
  const lines = [
    `Segment "${a.segment}" (membership as of ${a.refreshedAsOf}${staleText(a.segment, a.definitionChangedAt)}${refusedText(a.notKeptLive)}): ${n(a.members)} of ${n(a.base)} customers (${pct(a.rate).trim()}).`,
  ];
  for (const at of a.attributes) {
    const width = Math.min(40, Math.max(8, ...at.groups.map((g) => displayWidth(g.group))));
    lines.push('', `By ${at.attribute}:`, `  ${'group'.padEnd(width)}  ${'base'.padStart(8)}  ${'members'.padStart(8)}    rate  ratio  impact`);
    for (const g of at.groups) {
      const impact = g.impactRatio === null ? '     –' : `${g.impactRatio.toFixed(2).padStart(6)}${g.belowFourFifths ? '*' : ' '}`;
      lines.push(`  ${fitDisplay(g.group, width)}  ${n(g.base).padStart(8)}  ${n(g.members).padStart(8)}  ${pct(g.rate)}  ${g.representationRatio.toFixed(2).padStart(5)}  ${impact}${g.small ? ' (small)' : ''}`);
    }
    const t = at.test;
    lines.push(`  chi-squared ${t.chiSquare.toFixed(2)}, df ${t.df}, ${t.pValue === null ? 'no test' : pValueText(t.pValue)}   (* below the four-fifths rule)`);
    for (const f of at.flags) lines.push(`  - ${f}`);
  }
  lines.push('', 'Read with care:', ...a.limits.map((l) => `  - ${l}`));
  return lines.join('\n');
}

/** A scores audit as text: per attribute and target, the groups, then the findings. */
export function formatScoresAudit(a: ScoresAudit): string {
  const lines: string[] = [];
  for (const at of a.attributes) {
    for (const t of at.targets) {
      lines.push(`${t.target} by ${at.attribute} (trained at ${t.trainCutoff}, scored at ${t.testCutoff}, outcomes over the next ${countOf(t.horizonDays, 'day')}):`);
      const width = Math.min(40, Math.max(8, ...t.groups.map((g) => displayWidth(g.group))));
      lines.push(`  ${'group'.padEnd(width)}  customers  observed  predicted   AUC`);
      const row = (name: string, g: { customers: number; observedRate: number; meanPredicted: number; auc: number | null }, small = false) =>
        `  ${fitDisplay(name, width)}  ${n(g.customers).padStart(9)}  ${pct(g.observedRate).padStart(8)}  ${pct(g.meanPredicted).padStart(9)}  ${g.auc === null ? '   –' : g.auc.toFixed(2).padStart(4)}${small ? ' (small)' : ''}`;
      lines.push(row('everyone', t.overall));
      for (const g of t.groups) lines.push(row(g.group, g, g.small));
      for (const f of t.flags) lines.push(`  - ${f}`);
      lines.push('');
    }
  }
  lines.push('Read with care:', ...a.limits.map((l) => `  - ${l}`));
  return lines.join('\n');
}
