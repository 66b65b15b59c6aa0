import { canonicalText } from '../../domain/identifiers.js';
import { childConditions } from './children.js';
import type { Condition } from './condition.js';

/**
 * The names of the segments a definition refers to with `in segment`, directly, each once, in NFC
 * (canonicalText), the form segment names are stored in, whatever form the definition was typed in.
 */
export function referencedSegments(ast: Condition): string[] {
  const out = new Set<string>();
  const walk = (c: Condition): void => {
    if (c.kind === 'in_segment') out.add(canonicalText(c.segment));
    for (const child of childConditions(c)) walk(child);
  };
  walk(ast);
  return [...out];
}

/**
 * The catalog fields a definition compares (`total_spent`, `rfm.group`), each once, in order of first
 * use. Traits and event properties are not catalog fields; `in segment` references are not followed.
 */
export function referencedFields(ast: Condition): string[] {
  const out = new Set<string>();
  const walk = (c: Condition): void => {
    if ((c.kind === 'compare' || c.kind === 'between' || c.kind === 'in' || c.kind === 'text' || c.kind === 'presence') && c.target.kind === 'field') {
      out.add(c.target.name);
    }
    for (const child of childConditions(c)) walk(child);
  };
  walk(ast);
  return [...out];
}
