import { padEndDisplay } from '../../domain/display-width.js';
import type { SettingView } from '../../config/settings.js';
import type { TemplateInfo } from '../templates/install.js';
import type { WorkflowDetail, WorkflowSummary } from './crud.js';
import type { EmailPreview } from './preview.js';
import type { RunDetail, RunView } from './runs.js';
import type { WorkflowStepCounts } from './steps.js';

const iso = (d: Date | null): string => (d ? d.toISOString().replace('.000Z', 'Z') : '-');

export function formatWorkflowList(list: readonly WorkflowSummary[]): string {
  if (list.length === 0) return 'No workflows yet. Start from a template: segmint workflows templates';
  return list
    .map((w) => `${w.name}  [${w.status}, v${w.version}]  ${w.trigger}\n  runs: ${w.runs.active} active, ${w.runs.total} in all, ${w.runs.converted} converted; messages: ${w.messages.sent} sent, ${w.messages.skipped} skipped`)
    .join('\n');
}

export function formatWorkflow(w: WorkflowDetail): string {
  const lines = [
    `${w.name}  [${w.status}]  version ${w.version} of ${w.versions.length}${w.template ? `  (template ${w.template})` : ''}`,
    ...(w.description ? [`  ${w.description}`] : []),
    `  trigger   ${w.trigger}`,
    `  runs      ${w.runs.active} active, ${w.runs.total} in all, ${w.runs.converted} converted`,
    `  messages  ${w.messages.sent} sent, ${w.messages.skipped} skipped${w.skipped.length ? ` (${w.skipped.map((s) => `${s.reason} ${s.n}`).join(', ')})` : ''}`,
  ];
  const notStarted = w.triggers.filter((t) => t.outcome !== 'started');
  if (notStarted.length) lines.push(`  triggers not acted on: ${notStarted.map((t) => `${t.outcome} ${t.n}`).join(', ')}`);
  lines.push('', w.source.trimEnd());
  return lines.join('\n');
}

export function formatRuns(runs: readonly RunView[]): string {
  if (runs.length === 0) return 'No runs.';
  return runs.map((r) => `${r.id}  ${r.customerId}${r.key ? ` [${r.key}]` : ''}  entered ${iso(r.enteredAt)}  ${r.state}${r.holdout ? '  (holdout)' : ''}`).join('\n');
}

export function formatRun(r: RunDetail): string {
  const lines = [
    `run ${r.id} of ${r.workflow} v${r.version}`,
    `  customer  ${r.customerId}${r.key ? `  key ${r.key}` : ''}${r.holdout ? '  (holdout)' : ''}`,
    `  entered   ${iso(r.enteredAt)}`,
    `  now       ${r.state}`,
    '',
    ...r.log.map((l) => `  ${iso(l.logged_at)}  ${padEndDisplay(l.step_id ?? '', 16)} ${l.action}${l.detail ? `  ${l.detail}` : ''}`),
  ];
  if (r.sends.length) {
    lines.push('', '  sends:');
    for (const s of r.sends) lines.push(`    ${s.step_id}  ${s.channel} to ${s.recipient ?? '-'}: ${s.status}${s.reason ? ` (${s.reason})` : ''}${s.attempts > 1 ? `, ${s.attempts} attempts` : ''}${s.last_error ? `, last error: ${s.last_error}` : ''}`);
  }
  if (r.assignments.length) lines.push('', `  assignments: ${r.assignments.map((a) => `${a.step_id} → ${a.variant}`).join(', ')}`);
  return lines.join('\n');
}

export function formatTemplates(list: readonly TemplateInfo[]): string {
  return list
    .map((t) => [`${t.name}`, `  ${t.description}`, ...t.params.map((p) => `    --param ${p.name}=${p.default}   ${p.description}`)].join('\n'))
    .join('\n\n');
}

export function formatPreview(p: EmailPreview, html: boolean): string {
  return [
    `From:    ${p.from ?? '(no sender: set email.from)'}`,
    `To:      ${p.to ?? '(no email address)'}${p.consent !== 'granted' ? `   [email consent: ${p.consent ?? 'none'} — a marketing email would be skipped]` : ''}`,
    `Subject: ${p.subject}`,
    '',
    html ? (p.html ?? '(no HTML part)') : (p.text ?? '(no text part; --html shows the HTML)'),
  ].join('\n');
}

export function formatSettings(list: readonly SettingView[]): string {
  return list.map((s) => `${s.key.padEnd(22)} ${s.value ?? '(unset)'}${s.source === 'default' ? '  (default)' : s.source === 'environment' ? '  (from the environment)' : ''}\n${' '.repeat(23)}${s.description}`).join('\n');
}

export function formatStepCounts(c: WorkflowStepCounts): string {
  const list = (xs: readonly { label: string; n: number }[]): string => xs.map((x) => `${x.label} ${x.n}`).join(', ');
  const runs = c.runs.length ? list(c.runs.map((r) => ({ label: r.status, n: r.n }))) : 'none yet';
  const lines = [`${c.workflow}  version ${c.version}`, `  runs  ${runs}`];
  if (c.activeElsewhere > 0) lines.push(`  ${c.activeElsewhere} active runs at a step of an older version, or starting`);
  for (const s of c.steps) {
    lines.push('', `  ${s.id}  ${s.does}${s.activeHere ? `  (${s.activeHere} here now)` : ''}`);
    if (s.outcomes.length) lines.push(`    did    ${list(s.outcomes.map((o) => ({ label: o.outcome, n: o.n })))}`);
    if (s.sends.length) lines.push(`    sends  ${list(s.sends.map((x) => ({ label: `${x.channel} ${x.status}${x.reason ? ` (${x.reason})` : ''}`, n: x.n })))}`);
  }
  return lines.join('\n');
}
