import type { Duration, DurationUnit } from '../ast/index.js';
import { durationUnits } from '../ast/index.js';
import { durationProblem, numberProblem } from '../ast/limits.js';

export type TokenType = 'word' | 'quoted' | 'string' | 'number' | 'duration' | 'date' | 'punct' | 'eof';

/** A token with where it starts and ends (1-based line and column, end exclusive). */
export interface Token {
  readonly type: TokenType;
  /** word/quoted/string: the text (unescaped); punct: the symbol; number/date: the source text. */
  readonly text: string;
  readonly number?: number;
  readonly duration?: Duration;
  /** For durations and numbers: whether an explicit + or - was written. */
  readonly signed?: boolean;
  readonly date?: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** A tokenizer failure at a position; the parser turns it into a diagnostic. */
export class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly at: { line: number; column: number; endLine?: number; endColumn?: number },
    readonly hint?: string,
  ) {
    super(message);
  }
}

const punctuation = ['!=', '<=', '>=', '(', ')', ',', '.', '=', '<', '>'];
// Dates: 2024-01-31, or with a time, UTC only (Z optional): 2024-01-31T10:00, 2024-01-31T10:00:00.123Z
const datePattern = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?)?/;
const numberPattern = /^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;

/** Splits definition text into tokens. Throws SyntaxProblem at the first character it cannot read. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const advance = (n: number): void => {
    for (let k = 0; k < n; k++) {
      if (text[i] === '\n') {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  };
  const push = (type: TokenType, length: number, extra: Partial<Token> & { text: string }): void => {
    const startLine = line;
    const startCol = col;
    advance(length);
    tokens.push({ type, line: startLine, column: startCol, endLine: line, endColumn: col, ...extra });
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      advance(1);
      continue;
    }
    if (ch === '#') {
      // a comment runs to the end of the line
      while (i < text.length && text[i] !== '\n') advance(1);
      continue;
    }
    const rest = text.slice(i);
    if (ch === '"' || ch === "'") {
      const { value, length } = readString(rest, { line, column: col });
      push('string', length, { text: value });
      continue;
    }
    if (ch === '`') {
      const { value, length } = readQuotedName(rest, { line, column: col });
      push('quoted', length, { text: value });
      continue;
    }
    const date = datePattern.exec(rest);
    if (date) {
      const iso = dateFromParts(date, { line, column: col });
      push('date', date[0].length, { text: date[0], date: iso });
      continue;
    }
    const num = /^[+-]?\d/.test(rest) ? numberPattern.exec(rest) : null;
    if (num) {
      const unit = /^[A-Za-z_]+/.exec(rest.slice(num[0].length))?.[0];
      const signed = ch === '+' || ch === '-';
      if (unit !== undefined) {
        const length = num[0].length + unit.length;
        if (!(durationUnits as readonly string[]).includes(unit)) {
          throw new SyntaxProblem(`unknown time unit \`${unit}\``, { line, column: col + num[0].length }, 'use s, min, h, d, w, m (months) or y');
        }
        if (!/^[+-]?\d+$/.test(num[0])) {
          throw new SyntaxProblem(`a duration is a whole number of units, not ${num[0]}${unit}`, { line, column: col });
        }
        const amount = Number(num[0]);
        const tooLong = durationProblem({ amount, unit: unit as DurationUnit });
        if (tooLong) throw new SyntaxProblem(tooLong, { line, column: col, endLine: line, endColumn: col + length });
        push('duration', length, {
          text: num[0] + unit,
          signed,
          duration: { amount: amount === 0 ? 0 : amount, unit: unit as DurationUnit },
        });
        continue;
      }
      const value = Number(num[0]);
      const outOfRange = numberProblem(value, num[0]);
      if (outOfRange) throw new SyntaxProblem(outOfRange, { line, column: col, endLine: line, endColumn: col + num[0].length });
      push('number', num[0].length, { text: num[0], signed, number: value === 0 ? 0 : value });
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (word) {
      push('word', word[0].length, { text: word[0] });
      continue;
    }
    const p = punctuation.find((s) => rest.startsWith(s));
    if (p) {
      push('punct', p.length, { text: p });
      continue;
    }
    const hint = ch === '<' || ch === '!' ? undefined : ch === '[' ? 'lists are written in parentheses: in ("a", "b")' : undefined;
    throw new SyntaxProblem(`unexpected character \`${ch}\``, { line, column: col }, hint);
  }
  tokens.push({ type: 'eof', text: '', line, column: col, endLine: line, endColumn: col });
  return tokens;
}

function readString(rest: string, at: { line: number; column: number }): { value: string; length: number } {
  const quote = rest[0]!;
  let value = '';
  let k = 1;
  while (k < rest.length) {
    const c = rest[k]!;
    if (c === quote) return { value, length: k + 1 };
    if (c === '\n') break;
    if (c === '\\') {
      const e = rest[k + 1];
      const simple: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && e in simple) {
        value += simple[e];
        k += 2;
        continue;
      }
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(rest.slice(k + 2, k + 6))) {
        value += String.fromCharCode(parseInt(rest.slice(k + 2, k + 6), 16));
        k += 6;
        continue;
      }
      throw new SyntaxProblem(`unknown escape \`\\${e ?? ''}\` in a string`, at, 'escapes are \\" \\\\ \\n \\t \\uXXXX');
    }
    value += c;
    k++;
  }
  throw new SyntaxProblem('unterminated string', at, `close it with ${quote}`);
}

function readQuotedName(rest: string, at: { line: number; column: number }): { value: string; length: number } {
  let value = '';
  let k = 1;
  while (k < rest.length) {
    const c = rest[k]!;
    if (c === '`') return { value, length: k + 1 };
    if (c === '\\' && (rest[k + 1] === '`' || rest[k + 1] === '\\')) {
      value += rest[k + 1];
      k += 2;
      continue;
    }
    if (c === '\\' && rest[k + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(rest.slice(k + 2, k + 6))) {
      value += String.fromCharCode(parseInt(rest.slice(k + 2, k + 6), 16));
      k += 6;
      continue;
    }
    if (c === '\n') break;
    value += c;
    k++;
  }
  throw new SyntaxProblem('unterminated `quoted name`', at, 'close it with a backquote');
}

function dateFromParts(m: RegExpExecArray, at: { line: number; column: number }): string {
  const [y, mo, d, h, mi, s, frac] = m.slice(1).map((x) => (x === undefined ? undefined : x));
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, '0'));
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms);
  const valid =
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(mo) - 1 &&
    date.getUTCDate() === Number(d) &&
    date.getUTCHours() === Number(h ?? 0) &&
    date.getUTCMinutes() === Number(mi ?? 0) &&
    date.getUTCSeconds() === Number(s ?? 0);
  if (!valid) throw new SyntaxProblem(`${m[0]} is not a valid date`, at, 'dates are YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, in UTC');
  return date.toISOString();
}
