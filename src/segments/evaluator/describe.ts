import type { Condition, CountOp, Duration, Literal, Operand, Window } from '../ast/index.js';
import { isDateLiteral, isRelativeLiteral } from '../ast/index.js';
import { dateText, unparse } from '../syntax/unparse.js';
import type { Truth } from './state.js';
import type { Comparable } from './values.js';

/** Words for explanations: what a customer had, in terms a marketer reads. */

export function truthOf(v: boolean | undefined): Truth {
  return v === undefined ? 'unknown' : v ? 'true' : 'false';
}

/** A value seen; instants (when the literal is a date) print as ISO text. */
export function describeValue(target: Operand | undefined, v: Comparable, like: Literal): string {
  const name = target ? `${operandName(target)} ` : '';
  if (v === undefined) return target ? `${name}is missing` : 'missing';
  const isInstant = typeof like === 'object' && (isDateLiteral(like) || isRelativeLiteral(like));
  const text = isInstant && typeof v === 'number' ? new Date(v).toISOString() : typeof v === 'string' ? JSON.stringify(v) : String(v);
  return target ? `${name}is ${text}` : text;
}

function operandName(o: Operand): string {
  return o.kind === 'field' ? o.name : o.kind === 'trait' ? `traits.${o.path.join('.')}` : o.path.join('.');
}

export function describeEvents(n: number, event: string, where: Condition | undefined, window: Window | undefined): string {
  const filter = where ? ` where ${unparse(where)}` : '';
  return `${n} \`${event}\`${filter} ${windowWords(window)}`;
}

const unitWords: Record<string, string> = { s: 'second', min: 'minute', h: 'hour', d: 'day', w: 'week', m: 'month', y: 'year' };

function durationWords(d: Duration): string {
  return `${d.amount} ${unitWords[d.unit]}${d.amount === 1 ? '' : 's'}`;
}

export function windowWords(w: Window | undefined): string {
  if (!w) return 'ever';
  switch (w.kind) {
    case 'within':
      return `in the last ${durationWords(w.duration)}`;
    case 'ago':
      return `between ${durationWords(w.from)} and ${durationWords(w.to)} ago`;
    case 'since':
      return `since ${dateText(w.date)}`;
  }
}

export function describeCount(op: CountOp, n: number): string {
  return op === 'at_least' ? `≥ ${n}` : op === 'at_most' ? `≤ ${n}` : `exactly ${n}`;
}
