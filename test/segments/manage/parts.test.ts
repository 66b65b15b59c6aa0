import { describe, expect, it } from 'vitest';
import { parseAsOf } from '../../../src/domain/as-of.js';
import { dependencyOrder, dependentsOf } from '../../../src/segments/manage/dependencies.js';
import { formatDiagnostic } from '../../../src/segments/manage/diagnostics.js';

describe('--as-of', () => {
  it('reads a date as midnight UTC and a datetime as UTC unless an offset is written', () => {
    expect(parseAsOf('2011-12-10').toISOString()).toBe('2011-12-10T00:00:00.000Z');
    expect(parseAsOf('2011-12-10T15:30').toISOString()).toBe('2011-12-10T15:30:00.000Z');
    expect(parseAsOf('2011-12-10 15:30:05Z').toISOString()).toBe('2011-12-10T15:30:05.000Z');
    expect(parseAsOf('2011-12-10T15:30:00+02:00').toISOString()).toBe('2011-12-10T13:30:00.000Z');
    const now = new Date('2020-01-01T00:00:00Z');
    expect(parseAsOf(undefined, '--as-of', () => now)).toBe(now);
  });

  it('refuses what is not a date, naming the flag', () => {
    expect(() => parseAsOf('yesterday')).toThrow(/--as-of: "yesterday" is not a date/);
    expect(() => parseAsOf('2011-02-30')).toThrow(/--as-of: "2011-02-30": 2011-02 has no day 30/);
    expect(() => parseAsOf('2011-13-01', 'asOf')).toThrow(/^asOf:/);
    // the one timestamp rule of api.md, for the CLI's flags as for the API (trial 6, D13)
    expect(parseAsOf('2011-12-10T24:00:00Z').toISOString()).toBe('2011-12-11T00:00:00.000Z');
    expect(() => parseAsOf('0000-01-01')).toThrow(/--as-of: "0000-01-01" is outside the range segmint stores \(0001-01-01 to 9999-12-31, UTC\)/);
    expect(() => parseAsOf('2011-12-10T24:01')).toThrow(/only 24:00 may follow 23:59/);
    expect(parseAsOf('0001-01-01').toISOString()).toBe('0001-01-01T00:00:00.000Z');
  });
});

describe('dependency order', () => {
  it('puts every segment after those it refers to', () => {
    const deps = new Map([
      ['top', ['mid']],
      ['mid', ['base', 'other']],
      ['base', []],
      ['other', []],
      ['alone', []],
    ]);
    const order = dependencyOrder(deps);
    expect(order).toEqual(['alone', 'base', 'other', 'mid', 'top']);
    expect(dependentsOf('base', deps)).toEqual(['mid', 'top']);
  });

  it('names the segments of a circle', () => {
    const deps = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(() => dependencyOrder(deps)).toThrow(/"a" → "b" → "c" → "a"/);
  });
});

describe('diagnostics', () => {
  it('prints the line and a caret under the column', () => {
    const text = formatDiagnostic('a = 1 and\n  b >> 2', { severity: 'error', message: 'unexpected >', line: 2, column: 6, hint: 'use >' });
    expect(text).toBe(['query:2:6: error: unexpected >', '2 |   b >> 2', '         ^', 'hint: use >'].join('\n'));
  });

  it('quotes a long line as a window around the column with its length, the caret still under the column (trial 13, L4)', () => {
    const line = `${'a = 1 or '.repeat(200)}b >> 2 or ${'c = 3 or '.repeat(200)}d = 4`; // the > at 0-based 1,802
    const at = line.indexOf('>>') + 1;
    const [, quoted, caret] = formatDiagnostic(line, { severity: 'error', message: 'unexpected >', line: 1, column: at + 1 }).split('\n') as [string, string, string];
    expect(quoted).toMatch(/^1 \| ….*… {2}\(3,615 characters\)$/);
    expect(quoted.length).toBeLessThan(130);
    expect(quoted[caret.length - 1]).toBe('>'); // the caret's column in the quoted line is the second >
    expect(quoted.slice(caret.length - 4, caret.length + 2)).toBe('b >> 2');
    // a column at the start: no leading …; a short line is quoted whole, with no length
    const start = formatDiagnostic(line, { severity: 'error', message: 'x', line: 1, column: 1 }).split('\n')[1]!;
    expect(start.startsWith('1 | a = 1 or')).toBe(true);
    expect(formatDiagnostic('a = 1', { severity: 'error', message: 'x', line: 1, column: 1 })).not.toContain('characters');
  });
});
