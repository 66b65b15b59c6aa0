import { grouped } from './words.js';

/**
 * How much of a received value a message quotes: enough to recognise it, short enough that a
 * 200,000-character cell does not become a 200,000-character error line, report or page (trial 10, L6).
 */
export const EXCERPT_CHARACTERS = 100;

/**
 * A received text as a message quotes it: whole when it has at most `max` characters (code points),
 * else its first `max` followed by `… (200,000 characters)`, the whole length grouped as every report
 * writes numbers. A character is never cut in half (a surrogate pair stays whole). The one rule for
 * quoting a value into a message; excerptSql is the same rule for a message built in SQL.
 */
export function excerpt(text: string, max = EXCERPT_CHARACTERS): string {
  const cut = cutOf(text, max);
  return cut ? `${cut.head}… (${grouped(cut.length)} characters)` : text;
}

/**
 * A received value in a message: a text in JSON's quotes, anything else as JSON; cut as excerpt cuts,
 * with the length outside the quotes (`"ZZZ…" (200,000 characters)`).
 */
export function quotedExcerpt(value: unknown, max = EXCERPT_CHARACTERS): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const quote = (t: string) => (typeof value === 'string' ? JSON.stringify(t) : t);
  const cut = cutOf(text, max);
  return cut ? `${quote(`${cut.head}…`)} (${grouped(cut.length)} characters)` : quote(text);
}

/** The first `max` characters (code points) of a longer text and its length in characters; undefined when it is not longer. */
function cutOf(text: string, max: number): { head: string; length: number } | undefined {
  // Most texts are short: no character is counted unless the code units could exceed `max`.
  if (text.length <= max) return undefined;
  const points = Array.from(text.slice(0, 2 * max + 2));
  const length = points.length <= max ? points.length : countPoints(text);
  return length <= max ? undefined : { head: points.slice(0, max).join(''), length };
}

/**
 * excerpt's rule as DuckDB SQL over a text expression `expr` (the reasons of skipped import rows are
 * built in SQL): the text whole, or its first `max` characters, `… (` its length grouped `characters)`.
 * `expr` is SQL the caller wrote (a column), never a received value.
 */
export function excerptSql(expr: string, max = EXCERPT_CHARACTERS): string {
  const n = Math.trunc(max);
  return `CASE WHEN length(${expr}) <= ${n} THEN ${expr} ELSE left(${expr}, ${n}) || '… (' || format('{:,}', length(${expr})) || ' characters)' END`;
}

function countPoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // a high surrogate followed by a low one is one character
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
