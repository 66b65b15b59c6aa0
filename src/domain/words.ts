/**
 * "1 order", "2 orders", "1,234 customers": a count with its noun in the right number, the count
 * written the way every report writes numbers (en-US grouping, whatever the machine's locale).
 * `many` defaults to the noun plus "s".
 */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${grouped(n)} ${n === 1 ? one : many}`;
}

/** A number as every report writes it: en-US grouping ("12,345"), whatever the machine's locale. */
export const grouped = (n: number): string => n.toLocaleString('en-US');

/**
 * A bound or limit in a message ("from 1 to 1,000", "at most 100,000"): grouped as every report writes
 * numbers, whatever the machine's locale, and exact: a fraction keeps every decimal it has ("0.0001",
 * where grouped stops at three), a bigint every digit.
 */
export function figure(n: number | bigint): string {
  if (typeof n === 'bigint' || Number.isInteger(n)) return n.toLocaleString('en-US');
  return n.toLocaleString('en-US', { maximumFractionDigits: 20 });
}

/** A path or word as a POSIX shell reads it back: plain when safe, else in single quotes. */
export function shellQuote(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}

/** "a", "a and b", "a, b and c" (or "a, b or c" with `conjunction` or). */
export function joinWords(parts: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} ${conjunction} ${parts[parts.length - 1]}`;
}
