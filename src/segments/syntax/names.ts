import type { Operand } from '../ast/index.js';
import type { Catalog } from '../catalog/catalog.js';
import { closestName } from '../catalog/suggest.js';

/**
 * Identifiers a customer is resolved by (docs/identity.md) that are never stored as traits, so a bare
 * name of one would read a trait nobody has (trial 13, L7). `email` is not here: the email is a trait
 * too, and `email = "…"` matches. The camel-case forms are how Segment's calls spell them.
 */
const IDENTIFIER_NAMES: ReadonlySet<string> = new Set(['user_id', 'userId', 'anonymous_id', 'anonymousId', 'customer_id']);

/**
 * What a name written in a condition means. A catalog field wins (`total_spent`, `rfm.group`); a
 * name starting with `traits.` is that trait; any other name is a trait too (`country` is
 * traits.country), unless it is one or two typos away from a field, or names an identifier that is
 * not a trait (IDENTIFIER_NAMES), which are errors with a hint: silently comparing a trait that does
 * not exist would match nobody. `traits.NAME` written out is always the trait.
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
  if (segments.length === 1 && IDENTIFIER_NAMES.has(dotted)) {
    return {
      error: `\`${dotted}\` is an identifier, not a trait or a field: no customer has a trait ${dotted}, so the condition would match nobody`,
      hint: `to find a customer by an identifier use segmint customers show ID (or GET /v1/customers/ID); for a trait of that name write traits.${dotted}`,
    };
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
