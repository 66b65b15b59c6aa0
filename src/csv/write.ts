/**
 * The one CSV writer of the project: every file segmint writes for people and spreadsheets (segment
 * exports, ads audiences, anything added later) builds its cells here, so quoting and formula
 * neutralisation are decided once.
 *
 * Rules (RFC 4180 quoting, plus the OWASP "CSV Injection" guidance,
 * https://owasp.org/www-community/attacks/CSV_Injection):
 * - a cell is quoted when it holds any locale's cell separator (`,` `;` tab), a quote or a line break,
 *   so `x;=1+1` stays one cell in a spreadsheet that splits on `;`; quotes inside are doubled;
 * - text a spreadsheet could run as a formula gets a leading apostrophe and is quoted: text starting
 *   with `=` `+` `-` `@` (or their full-width forms, which some spreadsheets read as the same), also
 *   after leading whitespace, vertical tab or other control characters, and any text starting with a
 *   tab or carriage return;
 * - a number (a JS number, or text that is only a decimal number such as `-5` or `+12.50`) is written as
 *   it is: a spreadsheet reads it as a number, never as a formula.
 */

// Cell separators of the spreadsheet locales (comma, semicolon, tab), the quote and line breaks.
const NEEDS_QUOTES = /[,;\t"\r\n]/;
// What may precede a formula start and still leave it a formula: whitespace (incl. vertical tab,
// no-break and zero-width spaces, BOM) and control characters.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const LEADING_IGNORED = /^[\s\u0000-\u001f\u007f\u200b-\u200d\u2060]*/;
const FORMULA_START = /^[=+\-@\uff1d\uff0b\uff0d\uff20]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** True when a spreadsheet could read the text as a formula (see the rules above). */
export function isFormulaLike(text: string): boolean {
  if (text === '' || PLAIN_NUMBER.test(text)) return false;
  if (text.startsWith('\t') || text.startsWith('\r')) return true;
  const lead = LEADING_IGNORED.exec(text)![0].length;
  return FORMULA_START.test(text.slice(lead));
}

/**
 * One CSV cell for any value: null/undefined → empty, Date → ISO 8601 UTC, number/bigint/boolean as
 * written, an object as its JSON, text neutralised and quoted per the rules above.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (value instanceof Date) s = value.toISOString();
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') s = String(value);
  else if (typeof value === 'object') s = JSON.stringify(value);
  else s = String(value);
  if (isFormulaLike(s)) return `"'${s.replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record: the cells joined by `,`, ended by a line feed. */
export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(',') + '\n';
}
