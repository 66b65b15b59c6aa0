import { assertNever, type Condition, type Duration, type Literal, type Operand, type Window } from '../ast/index.js';
import { nameText } from './words.js';

/**
 * The canonical text of a definition: parseSegment(unparse(ast)) gives ast back (for fields the parse
 * catalog knows), and unparse(parseSegment(s).ast) is s in canonical form. Parentheses appear only
 * where precedence (not > and > or) needs them, plus around a nested and inside and (and or inside
 * or), which the AST keeps as written.
 */
export function unparse(ast: Condition): string {
  return cond(ast);
}

function cond(c: Condition): string {
  switch (c.kind) {
    case 'and':
      return c.conditions.map((x) => (x.kind === 'and' || x.kind === 'or' ? `(${cond(x)})` : cond(x))).join(' and ');
    case 'or':
      return c.conditions.map((x) => (x.kind === 'or' ? `(${cond(x)})` : cond(x))).join(' or ');
    case 'not':
      // `not performed …` reads as English; a negated comparison reads better in parentheses
      return readsAfterNot.has(c.condition.kind) ? `not ${cond(c.condition)}` : `not (${cond(c.condition)})`;
    case 'compare':
      return `${operand(c.target)} ${c.op} ${literal(c.value)}`;
    case 'between':
      return `${operand(c.target)} between ${literal(c.low)} and ${literal(c.high)}`;
    case 'in':
      return `${operand(c.target)} ${c.negated ? 'not in' : 'in'} (${c.values.map(literal).join(', ')})`;
    case 'text':
      return `${operand(c.target)} ${c.op} ${JSON.stringify(c.value)}`;
    case 'presence':
      return `${operand(c.target)} ${c.present ? 'exists' : 'is missing'}`;
    case 'performed': {
      const count = c.count ? ` ${countText(c.count.op)} ${c.count.n} ${c.count.n === 1 ? 'time' : 'times'}` : '';
      return `performed ${JSON.stringify(c.event)}${where(c.where)}${count}${windowText(c.window)}`;
    }
    case 'first_performed':
      return `first performed ${JSON.stringify(c.event)}${where(c.where)}${windowText(c.window)}`;
    case 'aggregate': {
      const of = c.property ? `${path(c.property)} in ${JSON.stringify(c.event)}` : JSON.stringify(c.event);
      return `${c.fn} of ${of}${where(c.where)}${windowText(c.window)} ${c.op} ${numberText(c.value)}`;
    }
    case 'sequence':
      return (
        `performed ${JSON.stringify(c.first.event)}${where(c.first.where)}${windowText(c.window)} ` +
        `then ${c.negated ? 'not ' : ''}${JSON.stringify(c.then.event)}${where(c.then.where)} within ${durationText(c.gap)}`
      );
    case 'consent':
      return `consent ${word(c.channel)} ${c.op} ${word(c.status)}`;
    case 'in_segment':
      return `in segment ${JSON.stringify(c.segment)}`;
    default:
      return assertNever(c);
  }
}

const readsAfterNot = new Set<Condition['kind']>(['not', 'performed', 'first_performed', 'aggregate', 'sequence', 'in_segment', 'consent']);

/** A condition in a position that binds tighter than and/or (after not, after where). */
function grouped(c: Condition): string {
  return c.kind === 'and' || c.kind === 'or' ? `(${cond(c)})` : cond(c);
}

function where(w: Condition | undefined): string {
  return w ? ` where ${grouped(w)}` : '';
}

function countText(op: 'at_least' | 'at_most' | 'exactly'): string {
  return op === 'at_least' ? 'at least' : op === 'at_most' ? 'at most' : 'exactly';
}

function operand(o: Operand): string {
  switch (o.kind) {
    case 'field':
      return o.name;
    case 'trait':
      return `traits.${path(o.path)}`;
    case 'property':
      return path(o.path);
    default:
      return assertNever(o);
  }
}

function path(p: readonly string[]): string {
  return p.map(nameText).join('.');
}

/** A bare word when it reads back as the same word, else a quoted string (both parse the same). */
function word(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? s : JSON.stringify(s);
}

export function literal(v: Literal): string {
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if ('date' in v) return dateText(v.date);
  const sign = v.relative.amount < 0 ? '-' : '+';
  return `${sign}${Math.abs(v.relative.amount)}${v.relative.unit}`;
}

function numberText(n: number): string {
  return String(n);
}

/** Midnight UTC prints as a plain date; any other instant in full ISO form. */
export function dateText(iso: string): string {
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

export function durationText(d: Duration): string {
  return `${d.amount}${d.unit}`;
}

export function windowText(w: Window | undefined): string {
  if (!w) return '';
  switch (w.kind) {
    case 'within':
      return ` within ${durationText(w.duration)}`;
    case 'ago':
      return ` between ${durationText(w.from)} and ${durationText(w.to)} ago`;
    case 'since':
      return ` since ${dateText(w.date)}`;
    default:
      return assertNever(w);
  }
}
