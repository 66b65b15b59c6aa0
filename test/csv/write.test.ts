import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, isFormulaLike } from '../../src/csv/write.js';

/**
 * How a spreadsheet splits one record with a given separator: RFC 4180 quoting (a quoted cell may hold
 * the separator; "" is a quote). Written here, independently of the writer, to read its output back.
 */
function splitRecord(line: string, sep: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === sep) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

const FORMULA_STARTS = ['=', '+', '-', '@'];

describe('csvCell: quoting and formula neutralisation (OWASP CSV injection)', () => {
  it('neutralises every formula start, also after whitespace, vertical tab and control characters', () => {
    for (const start of FORMULA_STARTS) {
      expect(csvCell(`${start}1+1`)).toBe(`"'${start}1+1"`);
      expect(csvCell(` ${start}1+1`)).toBe(`"' ${start}1+1"`);
      expect(csvCell(`\u000b${start}1+1`)).toBe(`"'\u000b${start}1+1"`);
      expect(csvCell(`\u00a0\u200b${start}cmd|' /C calc'!A0`)).toMatch(/^"'/);
    }
    expect(csvCell('\t=1+1')).toBe(`"'\t=1+1"`);
    expect(csvCell('\rabc')).toBe(`"'\rabc"`);
    expect(csvCell('\tabc')).toBe(`"'\tabc"`);
    expect(csvCell('\uff1d1+1')).toBe(`"'\uff1d1+1"`); // full-width equals sign
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it('quotes a cell holding any locale separator, so x;=1+1 stays one cell where ; separates', () => {
    expect(csvCell('x;=1+1')).toBe('"x;=1+1"');
    expect(csvCell('x,=1+1')).toBe('"x,=1+1"');
    expect(csvCell('x\t=1+1')).toBe('"x\t=1+1"');
    for (const sep of [',', ';', '\t']) expect(splitRecord(csvLine(['x;=1+1', 'a']).trimEnd(), sep)).toEqual(sep === ',' ? ['x;=1+1', 'a'] : ['x;=1+1,a']);
  });

  it('writes numbers, plain numeric text, dates, booleans and empty values as they are', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('-5')).toBe('-5');
    expect(csvCell('+12.50')).toBe('+12.50');
    expect(csvCell(12n)).toBe('12');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(new Date('2024-05-01T10:00:00Z'))).toBe('2024-05-01T10:00:00.000Z');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell({ a: '=1' })).toBe('"{""a"":""=1""}"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('-1+1')).toBe(`"'-1+1"`);
  });

  it('for any text: read back with any locale separator it is one cell, equal to the text (apostrophe added only to formulas), never a formula', () => {
    const chars = fc.constantFrom('=', '+', '-', '@', ' ', '\t', '\r', '\n', '\u000b', ',', ';', '"', "'", 'a', '1', '.', '\u00a0', '\uff1d');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 12 }).map((a) => a.join('')), fc.string({ maxLength: 8 }), (s, other) => {
        for (const sep of [',', ';', '\t']) {
          const cells = splitRecord(csvCell(s) + sep + csvCell(other), sep);
          // The separator between the two cells is the only one a spreadsheet splits on.
          expect(cells).toHaveLength(2);
          const expected = isFormulaLike(s) ? `'${s}` : s;
          expect(cells[0]).toBe(expected);
          // eslint-disable-next-line no-control-regex -- control characters are what is looked for
          const lead = /^[\s\u0000-\u001f\u007f\u200b-\u200d\u2060]*/.exec(cells[0]!)![0].length;
          if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(cells[0]!)) {
            expect(cells[0]!.slice(lead)).not.toMatch(/^[=+\-@\uff1d\uff0b\uff0d\uff20]/);
            expect(cells[0]).not.toMatch(/^[\t\r]/);
          }
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
