import type {
  AggregateFn,
  Condition,
  CountOp,
  Diagnostic,
  EventPattern,
  Literal,
  Operand,
  Window,
} from '../ast/index.js';
import { compareOps, type CompareOp } from '../ast/index.js';
import { defaultCatalog, type Catalog } from '../catalog/catalog.js';
import { checkSegment } from '../catalog/check.js';
import { SEGMENT_LIMITS, sizeProblem } from '../ast/limits.js';
import { resolveName } from './names.js';
import { describe, operandText, spanOf, TokenCursor } from './cursor.js';
import { SyntaxProblem, tokenize, type Token } from './tokens.js';

export interface ParseResult {
  /** Present when the text parsed; diagnostics may still hold errors from the catalog check. */
  readonly ast?: Condition;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses definition text (grammar: docs/segment-language.md) into the AST, then checks it against the
 * catalog. Precedence: not > and > or. Never throws: problems come back as diagnostics with positions.
 */
export function parseSegment(text: string, opts: { catalog?: Catalog } = {}): ParseResult {
  const catalog = opts.catalog ?? defaultCatalog;
  if (text.length > SEGMENT_LIMITS.textChars) {
    return {
      diagnostics: [
        { severity: 'error', message: `the definition is ${text.length} characters long; at most ${SEGMENT_LIMITS.textChars} are accepted`, line: 1, column: 1 },
      ],
    };
  }
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (e) {
    if (e instanceof SyntaxProblem) return { diagnostics: [toDiagnostic(e)] };
    throw e;
  }
  const parser = new Parser(tokens, catalog);
  try {
    const ast = parser.parseDefinition();
    const tooLarge = sizeProblem(ast);
    if (tooLarge) return { diagnostics: [{ severity: 'error', message: tooLarge, line: 1, column: 1 }] };
    const diagnostics = checkSegment(ast, { catalog, spanOf: (n) => parser.spans.get(n) });
    const hasError = diagnostics.some((d) => d.severity === 'error');
    return hasError ? { diagnostics } : { ast, diagnostics };
  } catch (e) {
    if (e instanceof SyntaxProblem) return { diagnostics: [toDiagnostic(e)] };
    throw e;
  }
}

function toDiagnostic(e: SyntaxProblem): Diagnostic {
  return { severity: 'error', message: e.message, ...e.at, ...(e.hint ? { hint: e.hint } : {}) };
}

const aggregateFns = new Set<string>(['count', 'sum', 'avg', 'min', 'max']);

class Parser extends TokenCursor {
  private inWhere = false;
  /** parentheses, `not` and `where` open around the current position */
  private depth = 0;

  constructor(
    tokens: Token[],
    private readonly catalog: Catalog,
  ) {
    super(tokens);
  }

  parseDefinition(): Condition {
    if (this.peek().type === 'eof') throw this.problem(this.peek(), 'the definition is empty', 'for example: total_spent > 100');
    const c = this.parseOr();
    const t = this.peek();
    if (t.type !== 'eof') {
      const hint = this.isWord(t, 'where')
        ? 'only behaviour conditions take `where`: performed "Event" where ...'
        : 'join conditions with and / or';
      throw this.problem(t, `unexpected ${describe(t)} after a complete condition`, hint);
    }
    return c;
  }

  // ---- logic ----

  private parseOr(): Condition {
    const start = this.peek();
    const parts = [this.parseAnd()];
    while (this.acceptWord('or')) parts.push(this.parseAnd());
    return parts.length === 1 ? parts[0]! : this.mark({ kind: 'or', conditions: parts }, start);
  }

  private parseAnd(): Condition {
    const start = this.peek();
    const parts = [this.parseUnary()];
    while (this.acceptWord('and')) parts.push(this.parseUnary());
    return parts.length === 1 ? parts[0]! : this.mark({ kind: 'and', conditions: parts }, start);
  }

  private parseUnary(): Condition {
    const start = this.peek();
    if (this.acceptWord('not')) return this.mark({ kind: 'not', condition: this.nested(start, () => this.parseUnary()) }, start);
    return this.parsePrimary();
  }

  /** Parses one level deeper, refusing past the nesting limit before the stack can run out. */
  private nested<T>(at: Token, fn: () => T): T {
    if (++this.depth > SEGMENT_LIMITS.nesting) {
      throw this.problem(at, `the definition nests deeper than ${SEGMENT_LIMITS.nesting} levels of parentheses, not and where`, 'write it flatter, or as saved segments combined with in segment');
    }
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private parsePrimary(): Condition {
    const t = this.peek();
    if (this.acceptPunct('(')) {
      const c = this.nested(t, () => this.parseOr());
      this.expectPunct(')', 'close the parenthesis');
      return c;
    }
    if (!this.inWhere) {
      const next = this.peek(1);
      if (this.isWord(t, 'performed') && next.type === 'string') return this.parsePerformed();
      if (this.isWord(t, 'first') && this.isWord(next, 'performed')) return this.parseFirst();
      if (t.type === 'word' && aggregateFns.has(t.text.toLowerCase()) && this.isWord(next, 'of')) return this.parseAggregate();
      if (this.isWord(t, 'in') && this.isWord(next, 'segment')) {
        this.pos += 2;
        const name = this.expectString('the segment name, e.g. in segment "vip"');
        return this.mark({ kind: 'in_segment', segment: name }, t);
      }
      const after = this.peek(2);
      const isConsent = (next.type === 'word' || next.type === 'string' || next.type === 'quoted') && after.type === 'punct' && (after.text === '=' || after.text === '!=');
      if (this.isWord(t, 'consent') && isConsent) return this.parseConsent();
      if (this.isWord(t, 'performed')) throw this.problem(next, `expected the event name in quotes after performed, found ${describe(next)}`, 'e.g. performed "Order Completed"');
    }
    return this.parseComparison();
  }

  // ---- comparisons ----

  private parseComparison(): Condition {
    const start = this.peek();
    const target = this.parseOperand();
    const t = this.peek();
    if (t.type === 'punct' && (compareOps as readonly string[]).includes(t.text)) {
      this.pos++;
      return this.mark({ kind: 'compare', target, op: t.text as CompareOp, value: this.parseLiteral() }, start);
    }
    if (this.acceptWord('between')) {
      const low = this.parseLiteral();
      this.expectWord('and', 'between takes two values: between 1 and 5');
      return this.mark({ kind: 'between', target, low, high: this.parseLiteral() }, start);
    }
    if (this.isWord(t, 'not') && this.isWord(this.peek(1), 'in')) {
      this.pos += 2;
      return this.mark({ kind: 'in', target, values: this.parseList(), negated: true }, start);
    }
    if (this.acceptWord('in')) return this.mark({ kind: 'in', target, values: this.parseList(), negated: false }, start);
    if (this.isWord(t, 'contains') || this.isWord(t, 'starts_with')) {
      this.pos++;
      const op = t.text.toLowerCase() as 'contains' | 'starts_with';
      return this.mark({ kind: 'text', target, op, value: this.expectString(`a quoted text after ${op}`) }, start);
    }
    if (this.acceptWord('exists')) return this.mark({ kind: 'presence', target, present: true }, start);
    if (this.isWord(t, 'is')) {
      this.pos++;
      const n = this.peek();
      if (this.acceptWord('missing')) return this.mark({ kind: 'presence', target, present: false }, start);
      if (this.isWord(n, 'not') && this.isWord(this.peek(1), 'missing')) {
        this.pos += 2;
        return this.mark({ kind: 'presence', target, present: true }, start);
      }
      throw this.problem(n, `expected missing after is, found ${describe(n)}`, 'write `x is missing` or `x exists`');
    }
    const hint = t.type === 'punct' && t.text === '=' ? undefined : 'operators: = != < <= > >= between in not in contains starts_with exists is missing';
    throw this.problem(t, `expected an operator after ${operandText(start, this.tokens[this.pos - 1]!)}, found ${describe(t)}`, hint);
  }

  private parseOperand(): Operand {
    const first = this.peek();
    const segments = this.parsePath();
    if (this.inWhere) return { kind: 'property', path: segments };
    const resolved = resolveName(segments, this.catalog);
    if ('error' in resolved) throw new SyntaxProblem(resolved.error, spanOf(first, this.tokens[this.pos - 1]!), resolved.hint);
    return resolved.operand;
  }

  private parsePath(): string[] {
    const segments: string[] = [];
    const readSegment = (): void => {
      const t = this.peek();
      if (t.type === 'word' || t.type === 'quoted') {
        if (t.type === 'word' && segments.length === 0 && ['and', 'or', 'not', 'true', 'false'].includes(t.text.toLowerCase())) {
          throw this.problem(t, `expected a condition, found the keyword ${t.text}`, 'a name spelled like a keyword goes in backquotes: `and`');
        }
        segments.push(t.text);
        this.pos++;
        return;
      }
      const hint = t.type === 'string' ? 'names are not quoted; event names are: performed "Order Completed"' : undefined;
      throw this.problem(t, `expected a condition, found ${describe(t)}`, hint);
    };
    readSegment();
    while (this.peek().type === 'punct' && this.peek().text === '.') {
      this.pos++;
      readSegment();
    }
    return segments;
  }

  private parseLiteral(): Literal {
    const t = this.peek();
    this.pos++;
    switch (t.type) {
      case 'number':
        return t.number!;
      case 'string':
        return t.text;
      case 'date':
        return { date: t.date! };
      case 'duration':
        if (!t.signed) {
          throw this.problem(t, `${t.text} is a length of time, not a date`, `write -${t.text} for ${t.text} before as_of, +${t.text} for after`);
        }
        return { relative: t.duration! };
      case 'word':
        if (t.text.toLowerCase() === 'true') return true;
        if (t.text.toLowerCase() === 'false') return false;
        break;
      default:
        break;
    }
    this.pos--;
    const hint = t.type === 'word' ? `text values are quoted: "${t.text}"` : undefined;
    throw this.problem(t, `expected a value, found ${describe(t)}`, hint);
  }

  private parseList(): Literal[] {
    this.expectPunct('(', 'a list is written in parentheses: in ("a", "b")');
    const values = [this.parseLiteral()];
    while (this.acceptPunct(',')) {
      if (values.length >= SEGMENT_LIMITS.listValues) throw this.problem(this.peek(), `a list holds at most ${SEGMENT_LIMITS.listValues} values`);
      values.push(this.parseLiteral());
    }
    this.expectPunct(')', 'close the list with )');
    return values;
  }

  // ---- behaviour ----

  private parseWhere(): Condition | undefined {
    const at = this.peek();
    if (!this.acceptWord('where')) return undefined;
    const saved = this.inWhere;
    this.inWhere = true;
    try {
      // One comparison, a negation, or a parenthesised and/or: where (a = 1 and b = 2)
      return this.nested(at, () => this.parseUnary());
    } finally {
      this.inWhere = saved;
    }
  }

  private parsePerformed(): Condition {
    const start = this.peek();
    this.pos++;
    const event = this.expectString('the event name in quotes');
    const where = this.parseWhere();
    let count: { op: CountOp; n: number } | undefined;
    let window: Window | undefined;
    for (;;) {
      if (!count && this.isWord(this.peek(), 'at')) count = this.parseCount();
      else if (!count && this.isWord(this.peek(), 'exactly')) count = this.parseCount();
      else if (!window && this.startsWindow()) window = this.parseWindow();
      else break;
    }
    if (this.isWord(this.peek(), 'then')) {
      if (count) throw this.problem(this.peek(), 'a sequence cannot also count events', 'drop "at least … times" before then');
      this.pos++;
      const negated = this.acceptWord('not');
      const thenEvent = this.expectString('the event name in quotes after then');
      const thenWhere = this.parseWhere();
      this.expectWord('within', 'a sequence needs a time limit: then "Order Completed" within 1h');
      const gap = this.expectDuration();
      const first: EventPattern = where ? { event, where } : { event };
      const then: EventPattern = thenWhere ? { event: thenEvent, where: thenWhere } : { event: thenEvent };
      return this.mark({ kind: 'sequence', first, then, negated, gap, ...(window ? { window } : {}) }, start);
    }
    return this.mark(
      { kind: 'performed', event, ...(where ? { where } : {}), ...(count ? { count } : {}), ...(window ? { window } : {}) },
      start,
    );
  }

  private parseCount(): { op: CountOp; n: number } {
    let op: CountOp;
    if (this.acceptWord('exactly')) op = 'exactly';
    else {
      this.expectWord('at', '');
      if (this.acceptWord('least')) op = 'at_least';
      else if (this.acceptWord('most')) op = 'at_most';
      else throw this.problem(this.peek(), `expected least or most after at, found ${describe(this.peek())}`);
    }
    const t = this.peek();
    if (t.type !== 'number' || !Number.isInteger(t.number) || t.number! < 0 || t.signed) {
      throw this.problem(t, `expected a whole number of times, found ${describe(t)}`, 'e.g. at least 3 times');
    }
    if (t.number! > SEGMENT_LIMITS.count) throw this.problem(t, `${t.text} times is out of range: at most ${SEGMENT_LIMITS.count.toLocaleString('en-US')}`);
    this.pos++;
    if (!this.acceptWord('times') && !this.acceptWord('time')) {
      throw this.problem(this.peek(), `expected times after ${t.text}, found ${describe(this.peek())}`);
    }
    return { op, n: t.number! };
  }

  private startsWindow(): boolean {
    const t = this.peek();
    return this.isWord(t, 'within') || this.isWord(t, 'since') || (this.isWord(t, 'between') && this.peek(1).type === 'duration');
  }

  private parseWindow(): Window {
    if (this.acceptWord('within')) return { kind: 'within', duration: this.expectDuration() };
    if (this.acceptWord('since')) {
      const t = this.peek();
      if (t.type !== 'date') throw this.problem(t, `expected a date after since, found ${describe(t)}`, 'e.g. since 2024-01-01');
      this.pos++;
      return { kind: 'since', date: t.date! };
    }
    this.expectWord('between', '');
    const from = this.expectDuration(true);
    this.expectWord('and', 'e.g. between 7d and 14d ago');
    const to = this.expectDuration();
    this.expectWord('ago', 'e.g. between 7d and 14d ago');
    return { kind: 'ago', from, to };
  }

  private parseFirst(): Condition {
    const start = this.peek();
    this.pos += 2;
    const event = this.expectString('the event name in quotes');
    const where = this.parseWhere();
    if (!this.startsWindow()) {
      throw this.problem(this.peek(), `first performed needs a time window, found ${describe(this.peek())}`, 'e.g. first performed "Order Completed" within 30d');
    }
    const window = this.parseWindow();
    return this.mark({ kind: 'first_performed', event, ...(where ? { where } : {}), window }, start);
  }

  private parseAggregate(): Condition {
    const start = this.peek();
    const fn = start.text.toLowerCase() as AggregateFn;
    this.pos += 2;
    let property: string[] | undefined;
    if (fn !== 'count') {
      property = this.parsePath();
      this.expectWord('in', `e.g. ${fn} of revenue in "Order Completed"`);
    }
    const event = this.expectString('the event name in quotes');
    const where = this.parseWhere();
    const window = this.startsWindow() ? this.parseWindow() : undefined;
    const t = this.peek();
    if (t.type !== 'punct' || !(compareOps as readonly string[]).includes(t.text)) {
      throw this.problem(t, `expected a comparison after the ${fn}, found ${describe(t)}`, `e.g. ${fn} of … > 100`);
    }
    this.pos++;
    const v = this.peek();
    if (v.type !== 'number') throw this.problem(v, `expected a number, found ${describe(v)}`);
    this.pos++;
    return this.mark(
      {
        kind: 'aggregate',
        fn,
        ...(property ? { property } : {}),
        event,
        ...(where ? { where } : {}),
        ...(window ? { window } : {}),
        op: t.text as CompareOp,
        value: v.number!,
      },
      start,
    );
  }

  private parseConsent(): Condition {
    const start = this.peek();
    this.pos++;
    const channel = this.expectName('the channel, e.g. consent email = granted');
    const t = this.peek();
    if (t.type !== 'punct' || (t.text !== '=' && t.text !== '!=')) {
      throw this.problem(t, `expected = or != after the channel, found ${describe(t)}`, 'e.g. consent email = granted');
    }
    this.pos++;
    const status = this.expectName('the status: granted or denied');
    return this.mark({ kind: 'consent', channel, op: t.text as '=' | '!=', status }, start);
  }
}
