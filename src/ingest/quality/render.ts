import type { QualityReport } from './report.js';

const num = (x: number): string => x.toLocaleString('en-US');

/** The text form of `segmint quality`: one block per check, examples as compact JSON. */
export function renderQuality(r: QualityReport): string {
  const out = [`Data quality as of ${r.as_of.toISOString()}`];
  for (const c of r.checks) {
    const share = c.out_of ? ` of ${num(c.out_of)} (${((100 * c.count) / c.out_of).toFixed(2)}%)` : '';
    out.push('', `${c.count === 0 ? 'ok  ' : 'WARN'} ${c.title}: ${num(c.count)}${share}`);
    out.push(`     ${c.definition}`);
    if (c.details) out.push(`     ${Object.entries(c.details).map(([k, v]) => `${k} ${detailText(v)}`).join(', ')}`);
    for (const e of c.examples) out.push(`     e.g. ${JSON.stringify(e)}`);
  }
  return out.join('\n');
}

/** A detail's value in the text report: numbers to two decimals, objects as `key value` pairs. */
function detailText(v: unknown): string {
  if (typeof v === 'number') return String(Number(v.toFixed(2)));
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const parts = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k} ${detailText(x)}`);
    return parts.length === 0 ? 'none' : `(${parts.join(', ')})`;
  }
  return String(v);
}
