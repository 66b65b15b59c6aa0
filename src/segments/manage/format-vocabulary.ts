import { grouped } from '../../domain/words.js';
import type { SegmentVocabulary } from './vocabulary.js';

const n = grouped;

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
