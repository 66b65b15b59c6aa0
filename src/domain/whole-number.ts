import { SegmintError } from './errors.js';
import { figure } from './words.js';

/**
 * `value` when it is a whole number from `min` to `max` (inclusive); otherwise a SegmintError
 * (`invalid_option`, 400) naming `name` (a CLI option such as `--sample`, or an API field such as
 * `limit`), what was received and the range accepted, always in the words
 * `NAME: "VALUE" is not a whole number from MIN to MAX`. A value out of range is refused, never cut to
 * the nearest bound: a user who asked for 5000 rows and got 100 would not know (trial 7, D8).
 *
 * A text (a CLI option, a query parameter) must be written in decimal digits, with an optional leading
 * minus and surrounding blanks: `Number()` would also read `0x10`, `1e1`, `0b11` or `Infinity`, which no
 * user means as a count (recheck 7, N8).
 */
export function wholeNumberIn(value: number | string, name: string, min: number, max = Number.POSITIVE_INFINITY): number {
  const n = typeof value === 'number' ? value : decimalWhole(value);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  throw new SegmintError('invalid_option', `${name}: "${String(value)}" is not a whole number ${rangeWords(min, max)}`, { option: name, value, min, ...(Number.isFinite(max) ? { max } : {}) });
}

/** The number a text of decimal digits (optional minus, blanks around) writes, or NaN for any other text. */
function decimalWhole(text: string): number {
  return wholeNumberText(text.trim());
}

/**
 * The one grammar of a whole number a user writes (a CLI option, an API query parameter): decimal digits
 * with an optional leading minus, nothing else (no blanks, `+`, point, exponent, `0x`), read as a number;
 * NaN for any other text. The CLI trims its options first (a shell quote); a query parameter is read as sent.
 */
export function wholeNumberText(text: string): number {
  return /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
}

/**
 * The one grammar of a decimal number a user writes: as wholeNumberText, with an optional decimal point
 * (`12`, `-0.5`, `.25`, `3.`), read as a number; NaN for any other text (`1e1`, `0x10`, `Infinity`, blanks).
 */
export function decimalNumberText(text: string): number {
  return /^-?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
}

/**
 * The number a decimal text writes (`12`, `-0.5`, `.25`, `3.`; blanks around), or NaN for any other text:
 * unlike `Number()`, never `1e1`, `0x10`, `Infinity` or the empty text (0), which no user writes as a rate or
 * a length. Decimal point only: a CLI option is not read in the process's locale.
 */
export function decimalNumber(text: string): number {
  return decimalNumberText(text.trim());
}

/** The range in words: `from 0 to 100`, `from 1 to 1,000` (words.ts's figure), or `≥ 1` without an upper bound. */
export function rangeWords(min: number, max: number): string {
  return Number.isFinite(max) ? `from ${figure(min)} to ${figure(max)}` : `≥ ${figure(min)}`;
}
