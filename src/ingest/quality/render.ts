import type { QualityReport } from './report.js';

const num = (x: number): string => x.toLocaleString('en-US');

/** The text form of `segmint quality`: one block per check, examples as compact JSON. */
export function renderQuality(r: QualityReport): string {
  const out = [`Data quality as of ${r.as_of.toISOString()}`];
  for (const c of r.checks) {
    const share = c.out_of ? ` of ${num(c.out_of)} (${((100 * c.count) / c.out_of).toFixed(2)}%)` : '';
    out.push('', `${c.count === 0 ? 'ok  ' : 'WARN'} ${c.title}: ${num(c.count)}${share}`);
    out.push(`     ${c.definition}`);
    if (c.details) out.push(`     ${Object.entries(c.details).map(([k, v]) => `${k} ${typeof v === 'number' ? Number(v.toFixed(2)) : String(v)}`).join(', ')}`);
    for (const e of c.examples) out.push(`     e.g. ${JSON.stringify(e)}`);
  }
  return out.join('\n');
}
