import { assertNever, type Condition } from './condition.js';

/** The names of the segments a definition refers to with `in segment`, directly, each once. */
export function referencedSegments(ast: Condition): string[] {
  const out = new Set<string>();
  const walk = (c: Condition): void => {
    switch (c.kind) {
      case 'and':
      case 'or':
        c.conditions.forEach(walk);
        return;
      case 'not':
        walk(c.condition);
        return;
      case 'in_segment':
        out.add(c.segment);
        return;
      case 'compare':
      case 'between':
      case 'in':
      case 'text':
      case 'presence':
      case 'performed':
      case 'first_performed':
      case 'aggregate':
      case 'sequence':
      case 'consent':
        return;
      default:
        assertNever(c);
    }
  };
  walk(ast);
  return [...out];
}
