import { IDENTIFIER_TRAITS } from '../../domain/identifiers.js';

/**
 * The SQL twin of normaliseTraitValue (src/domain/identifiers.ts) for a text expression: put in NFC
 * (DuckDB's nfc_normalize, as canonicalText does in JavaScript), trimmed of the
 * characters JavaScript's String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator: tab,
 * vertical tab, form feed, carriage return, line feed, the Unicode space, line and paragraph separators,
 * and the byte-order mark), then lower-cased. DuckDB's lower() maps one character to one, so the few
 * characters JavaScript lower-cases with context (a final sigma, a dotted capital I) can differ; an email
 * holding them is compared as DuckDB wrote it. `expr` is SQL of our own, never a user value.
 */
export function normalisedTextSql(expr: string): string {
  return `lower(regexp_replace(${nfcSql(expr)}, '^[\\t\\n\\v\\f\\r\\p{Z}\\x{FEFF}]+|[\\t\\n\\v\\f\\r\\p{Z}\\x{FEFF}]+$', '', 'g'))`;
}

/**
 * A text expression in NFC (canonicalText's form) in SQL: DuckDB's nfc_normalize, except for text holding
 * U+0000, which is left as it is: DuckDB 1.5's nfc_normalize cuts text with any non-ASCII character at
 * its first U+0000 ('a' || chr(0) || 'é' gives 'a'), which would make a stored trait shorter and two
 * different texts equal. Identifiers never hold U+0000 (refused as a control character); a trait may.
 * `expr` is SQL of our own, never a user value.
 */
export function nfcSql(expr: string): string {
  return `CASE WHEN contains(${expr}, chr(0)) THEN ${expr} ELSE nfc_normalize(${expr}) END`;
}

/**
 * A trait's JSON value `v` (key `k`, both SQL expressions of our own) as it is stored: the email trait,
 * when it is text, normalised (normaliseTraitValue); anything else as it is.
 */
export function storedTraitSql(k: string, v: string): string {
  // The keys are constants of our own (IDENTIFIER_TRAITS), plain words.
  const keys = IDENTIFIER_TRAITS.map((t) => `'${t}'`).join(', ');
  return `CASE WHEN ${k} IN (${keys}) AND json_type(${v}) = 'VARCHAR' THEN to_json(${normalisedTextSql(`json_extract_string(${v}, '$')`)}) ELSE ${v} END`;
}
