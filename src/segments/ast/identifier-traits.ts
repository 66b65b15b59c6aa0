import { canonicalText, isIdentifierTrait, normaliseTraitValue } from '../../domain/identifiers.js';
import type { Literal, Operand } from './values.js';

/**
 * The value a condition compares its target with. traits.email is stored the way the email identity is,
 * in NFC, trimmed and lower-cased, whatever the source (normaliseTraitValue, docs/identity.md), so a text written
 * against it is normalised the same way: `traits.email = " Cara@Example.com"` means "cara@example.com".
 * Any other target, and any value that is not text, is compared as written. The SQL compiler and the
 * in-memory evaluator both call this, so they agree.
 */
export function comparedLiteral(target: Operand, value: Literal): Literal {
  const key = identifierTraitOf(target);
  return key === undefined ? value : (normaliseTraitValue(key, value) as Literal);
}

/**
 * The part `contains` / `starts_with` look for in the target: for traits.email, in NFC and lower-cased
 * (stored emails are so: canonicalText) but not trimmed, since the spaces of a part are part of it.
 */
export function comparedPart(target: Operand, part: string): string {
  return identifierTraitOf(target) === undefined ? part : canonicalText(part).toLowerCase();
}

/** The trait key when the operand is a top-level trait that is an identifier (IDENTIFIER_TRAITS). */
function identifierTraitOf(o: Operand): string | undefined {
  return o.kind === 'trait' && o.path.length === 1 && isIdentifierTrait(o.path[0]!) ? o.path[0] : undefined;
}
