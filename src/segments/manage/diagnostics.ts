import { SegmintError } from '../../domain/errors.js';
import { EXCERPT_CHARACTERS } from '../../domain/excerpt.js';
import { grouped } from '../../domain/words.js';

/** The shape parseSegment reports problems in (line and column are 1-based). */
export interface SourceDiagnostic {
  readonly severity: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly hint?: string;
}

/**
 * Renders a diagnostic the way compilers do: where, what, the source line, and a caret under the
 * column, so a marketer sees exactly which word the language did not understand. A line longer than
 * EXCERPT_CHARACTERS is quoted as a window of that many characters around the column, cut ends marked
 * `…` and its length written after it (`(61,886 characters)`): a definition refused for its size or depth
 * is not echoed whole to the terminal or into the API's 400 body (trial 13, L4).
 */
export function formatDiagnostic(source: string, d: SourceDiagnostic, origin = 'query'): string {
  const lines = source.split(/\r?\n/);
  const { shown, before, note } = lineWindow(lines[d.line - 1] ?? '', d.column - 1);
  const gutter = `${d.line} | `;
  const caretPad = ' '.repeat(gutter.length) + before.replace(/[^\t]/g, ' ');
  const out = [`${origin}:${d.line}:${d.column}: ${d.severity}: ${d.message}`, gutter + shown + note, `${caretPad}^`];
  if (d.hint) out.push(`hint: ${d.hint}`);
  return out.join('\n');
}

/**
 * The part of a source line a diagnostic quotes: the whole line when it has at most EXCERPT_CHARACTERS
 * code units, else that many around `at` (a 0-based code-unit offset, the column − 1), never cutting a
 * surrogate pair. `before` is what precedes the column in `shown` (to place the caret); `note` is
 * `  (N characters)` when the line was cut, N counting code points, else empty.
 */
function lineWindow(text: string, at: number): { shown: string; before: string; note: string } {
  const col = Math.max(0, at);
  if (text.length <= EXCERPT_CHARACTERS) return { shown: text, before: text.slice(0, col), note: '' };
  let start = Math.max(0, Math.min(col - EXCERPT_CHARACTERS / 2, text.length - EXCERPT_CHARACTERS));
  let end = Math.min(text.length, start + EXCERPT_CHARACTERS);
  if (isLowSurrogate(text, start)) start -= 1;
  if (isLowSurrogate(text, end)) end += 1;
  const head = start > 0 ? '…' : '';
  const shown = head + text.slice(start, end) + (end < text.length ? '…' : '');
  return { shown, before: head + text.slice(start, Math.max(start, col)), note: `  (${grouped(Array.from(text).length)} characters)` };
}

/** Whether the code unit at `i` is the second half of a surrogate pair (cutting there would split a character). */
function isLowSurrogate(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  const p = text.charCodeAt(i - 1);
  return c >= 0xdc00 && c <= 0xdfff && p >= 0xd800 && p <= 0xdbff;
}

/** The error a definition that does not parse turns into; details carry the diagnostics for HTTP. */
export function syntaxError(source: string, diagnostics: readonly SourceDiagnostic[], origin = 'query'): SegmintError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const shown = errors.length > 0 ? errors : diagnostics;
  const body = shown.map((d) => formatDiagnostic(source, d, origin)).join('\n\n');
  return new SegmintError('segment_syntax', `The segment definition does not parse:\n${body}`, {
    diagnostics: shown.map((d) => ({ ...d })),
  });
}
