import type { Condition } from '../../ast/index.js';
import { describe } from '../cursor.js';
import { BehaviourParser } from './behaviour.js';

const aggregateFns = new Set<string>(['count', 'sum', 'avg', 'min', 'max']);

/**
 * The whole parser: a definition is conditions joined by `or`, `and` and `not` (precedence: not > and >
 * or) with parentheses; each primary condition is told apart by its first words and handed to the
 * behaviour or comparison parts.
 */
export class Parser extends BehaviourParser {
  parseDefinition(): Condition {
    if (this.peek().type === 'eof') throw this.problem(this.peek(), 'the definition is empty', 'for example: total_spent > 100');
    const c = this.parseOr();
    const t = this.peek();
    if (t.type !== 'eof') {
      const hint = this.isWord(t, 'where')
        ? 'only behaviour conditions take `where`: performed "Event" where ...'
        : 'join conditions with and / or';
      throw this.problem(t, `found ${describe(t)} after a complete condition`, hint);
    }
    return c;
  }

  protected parseOr(): Condition {
    const start = this.peek();
    const parts = [this.parseAnd()];
    while (this.acceptWord('or')) parts.push(this.parseAnd());
    return parts.length === 1 ? parts[0]! : this.mark({ kind: 'or', conditions: parts }, start);
  }

  protected parseAnd(): Condition {
    const start = this.peek();
    const parts = [this.parseUnary()];
    while (this.acceptWord('and')) parts.push(this.parseUnary());
    return parts.length === 1 ? parts[0]! : this.mark({ kind: 'and', conditions: parts }, start);
  }

  protected parseUnary(): Condition {
    const start = this.peek();
    if (this.acceptWord('not')) return this.mark({ kind: 'not', condition: this.nested(start, () => this.parseUnary()) }, start);
    return this.parsePrimary();
  }

  protected parsePrimary(): Condition {
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
}
