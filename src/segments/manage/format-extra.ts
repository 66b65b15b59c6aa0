import type { SegmentKpis } from './kpis.js';
import type { SegmentVocabulary } from './vocabulary.js';

const n = (x: number): string => x.toLocaleString('en-US');

/** The text form of `segmint segments fields`. */
export function formatVocabulary(v: SegmentVocabulary): string {
  const width = Math.max(...v.fields.map((f) => f.name.length));
  return [
    'Fields:',
    ...v.fields.map((f) => `  ${f.name.padEnd(width)}  ${f.type.padEnd(9)} ${f.description}`),
    `Events (${v.events.length}, most frequent first): ${v.events.map((e) => `"${e.name}" (${n(e.count)})`).join(', ') || 'none yet'}`,
    `Traits: ${v.traits.map((t) => `traits.${t.name}`).join(', ') || 'none yet'}`,
    `Saved segments: ${v.segments.map((s) => `"${s}"`).join(', ') || 'none yet'}`,
  ].join('\n');
}

/** The text form of `segmint segments kpis`. */
export function formatKpis(k: SegmentKpis): string {
  return [
    `"${k.name}" as of ${k.refreshedAsOf ? k.refreshedAsOf.toISOString() : 'no refresh yet'}:`,
    `  members          ${n(k.members)} (${(100 * k.share).toFixed(1)}% of all customers)`,
    `  buyers           ${n(k.buyers)}`,
    `  net revenue      ${k.netRevenue.toFixed(2)} (${k.avgSpent === null ? '-' : k.avgSpent.toFixed(2)} per member)`,
    `  orders           ${n(k.orders)}`,
    `  may be emailed   ${n(k.emailConsented)}`,
  ].join('\n');
}
