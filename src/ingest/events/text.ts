/**
 * Rules for strings that become keys (identifiers, event names, order and product ids): they are kept
 * exactly as sent, code point for code point (no Unicode normalisation, which would make two different
 * inputs one), and refused when they cannot be kept faithfully or are not meant as text.
 */
import { figure } from '../../domain/words.js';

// C0 controls, DEL and C1 controls: no identifier is meant to hold them, and "\u001f" was one.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Why s cannot be an identifier (over `max` characters, a control character, a lone surrogate), in
 * words naming the character and where it is; undefined when it can.
 */
export function identifierProblem(s: string, max: number): string | undefined {
  if (s.length > max) return `is ${figure(s.length)} characters; at most ${figure(max)}`;
  const control = CONTROL.exec(s);
  if (control) {
    return `holds the control character U+${hex(control[0])} at character ${control.index + 1}; identifiers and names cannot hold control characters`;
  }
  if (SURROGATE.test(s)) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const paired = c >= 0xd800 && c <= 0xdbff && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
      if (paired) i++;
      else if (c >= 0xd800 && c <= 0xdfff) return `is not valid Unicode text: an unpaired surrogate U+${hex(s[i]!)} at character ${i + 1}`;
    }
  }
  return undefined;
}

function hex(ch: string): string {
  return ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
}
