/**
 * Words of the language. A path segment spelled like one of these is printed in backquotes by unparse,
 * so the text always parses back to the same name.
 */
export const keywords = new Set([
  'and', 'or', 'not', 'in', 'is', 'missing', 'exists', 'between', 'contains', 'starts_with',
  'true', 'false', 'performed', 'first', 'then', 'where', 'at', 'least', 'most', 'exactly', 'time',
  'times', 'within', 'since', 'ago', 'of', 'count', 'sum', 'avg', 'min', 'max', 'consent', 'segment',
]);

const plain = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A path segment as text: bare when it is a plain, non-keyword identifier, else `backquoted`, with
 * backslash escapes for \\, \` and (as \uXXXX) control characters and unpaired surrogates, so any key
 * survives the round trip on one line.
 */
export function nameText(segment: string): string {
  if (plain.test(segment) && !keywords.has(segment.toLowerCase())) return segment;
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    const code = segment.charCodeAt(i);
    const high = code >= 0xd800 && code <= 0xdbff;
    const next = segment.charCodeAt(i + 1);
    if (high && next >= 0xdc00 && next <= 0xdfff) {
      out += ch + segment[i + 1];
      i++;
    } else if (ch === '\\' || ch === '`') out += '\\' + ch;
    else if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return '`' + out + '`';
}
