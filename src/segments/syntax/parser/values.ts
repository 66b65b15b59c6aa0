import type { Condition, Literal, Operand } from '../../ast/index.js';
import { compareOps, type CompareOp } from '../../ast/index.js';
import { SEGMENT_LIMITS } from '../../ast/limits.js';
import { describe, operandText, spanOf } from '../cursor.js';
import { resolveName } from '../names.js';
import { SyntaxProblem } from '../tokens.js';
import { ParserBase } from './base.js';
import { figure } from '../../../domain/words.js';

/**
 * Comparisons of one field, trait or property (`total_spent > 100`, `between`, `in`, `contains`,
 * `exists`, `is missing`) and what they are made of: the operand's dotted path, resolved against the
 * catalog outside a `where`, and the literal values and lists.
 */
export abstract class ValueParser extends ParserBase {
  protected parseComparison(): Condition {
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

  protected parseOperand(): Operand {
    const first = this.peek();
    const segments = this.parsePath();
    if (this.inWhere) return { kind: 'property', path: segments };
    const resolved = resolveName(segments, this.catalog);
    if ('error' in resolved) throw new SyntaxProblem(resolved.error, spanOf(first, this.tokens[this.pos - 1]!), resolved.hint);
    return resolved.operand;
  }

  protected parsePath(): string[] {
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

  protected parseLiteral(): Literal {
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

  protected parseList(): Literal[] {
    this.expectPunct('(', 'a list is written in parentheses: in ("a", "b")');
    const values = [this.parseLiteral()];
    while (this.acceptPunct(',')) {
      if (values.length >= SEGMENT_LIMITS.listValues) throw this.problem(this.peek(), `a list holds at most ${figure(SEGMENT_LIMITS.listValues)} values`);
      values.push(this.parseLiteral());
    }
    this.expectPunct(')', 'close the list with )');
    return values;
  }
}
