/**
 * Characters that change how text is displayed rather than being shown: the one definition behind the
 * name rule (names.ts) and the CLI's terminal escaping (src/cli/terminal-text.ts).
 *
 * - Control characters: C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F). In a terminal, ESC
 *   (U+001B) and CSI (U+009B) start sequences that move the cursor, erase lines, set the window title
 *   or the clipboard; CR (U+000D) returns to the start of the line so what follows overwrites it.
 * - Unicode format characters (general category Cf) that reorder or hide text: the bidi marks,
 *   embeddings, overrides and isolates (U+061C, U+200E/F, U+202A–202E, U+2066–2069), which show "a‮b"
 *   as "ab" reversed and let one name pose as another; zero-width and invisible characters (U+200B,
 *   U+2060–2064, U+FEFF, U+00AD soft hyphen, U+180E) that make two different names look the same; and
 *   the rest of Cf. Line and paragraph separators (U+2028/2029) break a line where none is shown.
 * - Not these: the zero-width joiner and non-joiner (U+200D, U+200C), which Persian, Indic scripts and
 *   emoji sequences (👩‍💻) need, and the tag characters (U+E0020–E007F) of flag emoji such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿, where they
 *   follow U+1F3F4 (Unicode TR51, emoji tag sequences); anywhere else a tag character hides text.
 */
const CONTROL = '\\u0000-\\u001F\\u007F-\\u009F';
// A tag character is let through only inside a flag's tag sequence (after U+1F3F4 and tags alone): on
// its own it is invisible, so "a" U+E0041 "b" showed as "ab" (recheck 8, N2).
const FORMAT = '(?!\\u200C|\\u200D)(?!(?<=\\u{1F3F4}[\\u{E0020}-\\u{E007F}]*)[\\u{E0020}-\\u{E007F}])[\\p{Cf}\\p{Zl}\\p{Zp}]';

/** One control or display-changing format character (see above). */
export const DISPLAY_CHARACTER = new RegExp(`[${CONTROL}]|${FORMAT}`, 'u');

/** Every such character except newline and tab: what the terminal escaping replaces (global). */
export const HIDDEN_IN_TEXT = new RegExp(`[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F]|${FORMAT}`, 'gu');

/** Whether ch (one character) is a control character: C0, DEL or C1. */
export function isControl(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c <= 0x1f || (c >= 0x7f && c <= 0x9f);
}

/** `U+202E`: how messages name a code point. */
export function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
