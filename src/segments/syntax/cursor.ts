import type { Condition, Duration, Span } from '../ast/index.js';
import { SyntaxProblem, type Token } from './tokens.js';

/**
 * Reading tokens for the parser: look ahead, accept or expect a word or symbol, and turn a failed
 * expectation into a SyntaxProblem that names what was found where. Nodes are marked with the span of
 * text they came from, so the catalog check can point at them.
 */
export class TokenCursor {
  protected pos = 0;
  readonly spans = new WeakMap<object, Span>();

  constructor(protected readonly tokens: Token[]) {}

  protected peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]!;
  }

  protected isWord(t: Token, w: string): boolean {
    return t.type === 'word' && t.text.toLowerCase() === w;
  }

  protected acceptWord(w: string): boolean {
    if (!this.isWord(this.peek(), w)) return false;
    this.pos++;
    return true;
  }

  protected expectWord(w: string, hint: string): void {
    if (!this.acceptWord(w)) throw this.problem(this.peek(), `expected ${w}, found ${describe(this.peek())}`, hint || undefined);
  }

  protected acceptPunct(p: string): boolean {
    const t = this.peek();
    if (t.type !== 'punct' || t.text !== p) return false;
    this.pos++;
    return true;
  }

  protected expectPunct(p: string, hint: string): void {
    if (!this.acceptPunct(p)) throw this.problem(this.peek(), `expected ${p}, found ${describe(this.peek())}`, hint);
  }

  protected expectString(what: string): string {
    const t = this.peek();
    if (t.type !== 'string') {
      const hint = t.type === 'word' ? `put it in quotes: "${t.text}"` : undefined;
      throw this.problem(t, `expected ${what}, found ${describe(t)}`, hint);
    }
    this.pos++;
    return t.text;
  }

  protected expectName(what: string): string {
    const t = this.peek();
    if (t.type !== 'word' && t.type !== 'string' && t.type !== 'quoted') throw this.problem(t, `expected ${what}, found ${describe(t)}`);
    this.pos++;
    return t.text;
  }

  protected expectDuration(allowZero = false): Duration {
    const t = this.peek();
    if (t.type !== 'duration' || t.signed || (t.duration!.amount === 0 && !allowZero)) {
      throw this.problem(t, `expected a length of time, found ${describe(t)}`, 'e.g. 7d, 1h, 30min, 2w, 3m (months)');
    }
    this.pos++;
    return t.duration!;
  }

  protected problem(t: Token, message: string, hint?: string): SyntaxProblem {
    return new SyntaxProblem(message, spanOf(t, t), hint);
  }

  protected mark<T extends Condition>(node: T, start: Token): T {
    this.spans.set(node, spanOf(start, this.tokens[Math.max(this.pos - 1, 0)]!));
    return node;
  }
}

export function spanOf(from: Token, to: Token): Required<Span> {
  return { line: from.line, column: from.column, endLine: to.endLine, endColumn: to.endColumn };
}

export function describe(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'the end of the definition';
    case 'string':
      return `the text ${JSON.stringify(t.text)}`;
    case 'quoted':
      return `the name \`${t.text}\``;
    case 'punct':
      return `\`${t.text}\``;
    default:
      return `\`${t.text}\``;
  }
}

export function operandText(from: Token, to: Token): string {
  return from === to ? describe(from) : `${describe(from)}…${describe(to)}`;
}
