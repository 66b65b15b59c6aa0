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

/** A path segment as text: bare when it is a plain, non-keyword identifier, else `backquoted`. */
export function nameText(segment: string): string {
  if (plain.test(segment) && !keywords.has(segment.toLowerCase())) return segment;
  return '`' + segment.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}
