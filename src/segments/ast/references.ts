import { childConditions } from './children.js';
import type { Condition } from './condition.js';

/** The names of the segments a definition refers to with `in segment`, directly, each once. */
export function referencedSegments(ast: Condition): string[] {
  const out = new Set<string>();
  const walk = (c: Condition): void => {
    if (c.kind === 'in_segment') out.add(c.segment);
    for (const child of childConditions(c)) walk(child);
  };
  walk(ast);
  return [...out];
}
