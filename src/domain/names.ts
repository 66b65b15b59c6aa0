import { DISPLAY_CHARACTER, codePointName, isControl } from './display-characters.js';

/**
 * The rule for every name people give things and read back in lists (segments, API keys; workflow and
 * experiment names allow only letters, digits, spaces, _ . and -, so they pass it by construction):
 * any printable text — quotes, accents, other scripts and emoji included — but no control character
 * (newline, tab, ESC…) and no Unicode format character that changes how text is shown (a bidi override
 * such as U+202E shows "a‮b" reversed, so one name can pose as another; a zero-width space makes two
 * names look the same). The characters are those of display-characters.ts. A lone surrogate is not
 * text and cannot be stored as UTF-8.
 *
 * Returns why `name` cannot be a name, naming the character and its position (1-based, in characters
 * as JavaScript counts them), or undefined when it can.
 */
export function nameCharacterProblem(name: string): string | undefined {
  const m = DISPLAY_CHARACTER.exec(name);
  if (m) {
    const what = isControl(m[0]) ? 'the control character' : 'the invisible formatting character';
    return `holds ${what} ${codePointName(m[0])} at character ${m.index + 1}; names are shown to people, so they may not hold control characters (newline, tab…) or characters that reorder or hide text (bidi overrides, zero-width spaces)`;
  }
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < name.length && name.charCodeAt(i + 1) >= 0xdc00 && name.charCodeAt(i + 1) <= 0xdfff) i++;
    else if (c >= 0xd800 && c <= 0xdfff) return `is not valid Unicode text: an unpaired surrogate ${codePointName(name[i]!)} at character ${i + 1}`;
  }
  return undefined;
}
