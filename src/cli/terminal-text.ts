import { HIDDEN_IN_TEXT } from '../domain/display-characters.js';

/**
 * What the CLI prints, made safe for a terminal. Stored values come from outside (traits and events
 * sent with a public browser key, imported files, names given over the API), and a value holding
 * `ESC]0;…BEL` would set the operator's window title, `ESC[1A ESC[2K` erase the line above (hiding or
 * forging output), `ESC[2J` clear the screen. So every control character other than newline and tab
 * (C0, DEL, C1: CR included, which overwrites the line) and every format character that reorders or
 * hides text (bidi overrides, zero-width spaces: domain/display-characters.ts) is written as a visible
 * escape, `\u001b`, `\u202e`, one per UTF-16 unit (a character past U+FFFF as its surrogate pair).
 *
 * The same escape is JSON's: in JSON text these characters can only stand inside strings (JSON.stringify
 * escapes C0 itself but leaves C1 and format characters raw), so escaping --json output this way keeps
 * it the same JSON value, and one function serves both. Newlines and tabs are kept: they are the
 * layout of the text (and JSON.stringify has escaped those inside strings).
 */
export function terminalSafe(text: string): string {
  return text.replace(HIDDEN_IN_TEXT, (ch) => {
    let out = '';
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}
