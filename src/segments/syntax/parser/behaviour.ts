import type { AggregateFn, Condition, CountOp, EventPattern, Window } from '../../ast/index.js';
import { compareOps, type CompareOp } from '../../ast/index.js';
import { SEGMENT_LIMITS } from '../../ast/limits.js';
import { describe } from '../cursor.js';
import { ValueParser } from './values.js';

/**
 * Behaviour conditions: `performed "Event"` with its `where`, count and time window, sequences
 * (`then … within`), `first performed`, aggregates of event properties (`sum of revenue in "…"`), and
 * consent per channel.
 */
export abstract class BehaviourParser extends ValueParser {
  protected parseWhere(): Condition | undefined {
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

  protected parsePerformed(): Condition {
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

  protected parseCount(): { op: CountOp; n: number } {
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

  protected startsWindow(): boolean {
    const t = this.peek();
    return this.isWord(t, 'within') || this.isWord(t, 'since') || (this.isWord(t, 'between') && this.peek(1).type === 'duration');
  }

  protected parseWindow(): Window {
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

  protected parseFirst(): Condition {
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

  protected parseAggregate(): Condition {
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

  protected parseConsent(): Condition {
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
