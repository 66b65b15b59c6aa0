import { normaliseTraitValue } from '../../domain/identifiers.js';
import type { Literal, Operand } from './values.js';

/**
 * The value a condition compares its target with. traits.email is stored the way the email identity is,
 * trimmed and lower-cased, whatever the source (normaliseTraitValue, docs/identity.md), so a text written
 * against it is normalised the same way: `traits.email = " Cara@Example.com"` means "cara@example.com".
 * Any other target, and any value that is not text, is compared as written. The SQL compiler and the
 * in-memory evaluator both call this, so they agree.
 */
export function comparedLiteral(target: Operand, value: Literal): Literal {
  return isIdentifierTrait(target) && typeof value === 'string' ? (normaliseTraitValue('email', value) as string) : value;
}

/**
 * The part `contains` / `starts_with` look for in the target: for traits.email, lower-cased (stored
 * emails have no capitals) but not trimmed, since the spaces of a part are part of it.
 */
export function comparedPart(target: Operand, part: string): string {
  return isIdentifierTrait(target) ? part.toLowerCase() : part;
}

function isIdentifierTrait(o: Operand): boolean {
  return o.kind === 'trait' && o.path.length === 1 && o.path[0] === 'email';
}
