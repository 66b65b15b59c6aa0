import type { Operand } from '../ast/index.js';
import type { Catalog } from '../catalog/catalog.js';
import { closestName } from '../catalog/suggest.js';

/**
 * What a name written in a condition means. A catalog field wins (`total_spent`, `rfm.group`); a
 * name starting with `traits.` is that trait; any other name is a trait too (`country` is
 * traits.country), unless it is one or two typos away from a field, which is an error with a hint:
 * silently comparing a trait that does not exist would match nobody.
 */
export function resolveName(
  segments: readonly string[],
  catalog: Catalog,
): { operand: Operand } | { error: string; hint?: string } {
  const dotted = segments.join('.');
  if (catalog.get(dotted)) return { operand: { kind: 'field', name: dotted } };
  if (segments[0] === 'traits') {
    if (segments.length === 1) return { error: '`traits` alone is not a value', hint: 'name a trait, e.g. traits.plan' };
    return { operand: { kind: 'trait', path: segments.slice(1) } };
  }
  const near = closestName(dotted, catalog.fields().map((f) => f.name));
  if (near) {
    return {
      error: `unknown field \`${dotted}\`, did you mean \`${near}\`?`,
      hint: `for a trait of that name write traits.${dotted}`,
    };
  }
  return { operand: { kind: 'trait', path: [...segments] } };
}
