import type { Condition, SegmentAst } from '../ast/index.js';
import { assertNever, comparedLiteral, comparedPart, throwIfErrors } from '../ast/index.js';
import { defaultCatalog, type Catalog } from '../catalog/catalog.js';
import { checkSegment } from '../catalog/check.js';
import { unparse } from '../syntax/unparse.js';
import { aggregate, gapMs, inWindow, matching, sequenceHits } from './behaviour.js';
import { changesAt } from './changes.js';
import { resolveMembership, type EvalContext } from './context.js';
import { describeCount, describeEvents, describeValue, truthOf } from './describe.js';
import type { CustomerState, EvaluationResult, ExplanationNode } from './state.js';
import { windowBounds, inBounds } from './time.js';
import { compareWith, literalType, literalValue, operandPresent, operandValue, type Scope } from './values.js';

export interface EvaluateOptions {
  asOf: Date;
  resolveSegment?: (name: string) => SegmentAst | undefined;
  catalog?: Catalog;
}

/**
 * Evaluates a definition for one customer at as_of: membership (the condition is TRUE; unknown is not
 * a member), why, and the first later instant at which membership flips if no new data arrives.
 */
export function evaluateSegment(ast: SegmentAst, state: CustomerState, opts: EvaluateOptions): EvaluationResult {
  const catalog = opts.catalog ?? defaultCatalog;
  throwIfErrors(checkSegment(ast, { catalog }), 'Invalid segment definition');
  const asOf = opts.asOf.getTime();
  const events = state.events.filter((e) => e.timestamp.getTime() <= asOf).sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  const ctx: EvalContext = { state, catalog, now: asOf, events, stack: [], explain: true, matches: new Map(), ...(opts.resolveSegment ? { resolveSegment: opts.resolveSegment } : {}) };
  const out = evalCondition(ast, ctx);
  const member = out.value === true;
  return { member, explanation: out.explanation!, changesAt: changesAt(ast, ctx, member, (at) => evalCondition(ast, { ...ctx, now: at, explain: false }).value === true) };
}

export interface Outcome {
  readonly value: boolean | undefined;
  readonly explanation?: ExplanationNode;
}

/** The one switch over condition nodes on the in-memory side. */
export function evalCondition(c: Condition, ctx: EvalContext): Outcome {
  const done = (value: boolean | undefined, detail: () => string, children?: ExplanationNode[]): Outcome =>
    ctx.explain
      ? { value, explanation: { kind: c.kind, condition: unparse(c), result: truthOf(value), detail: detail(), ...(children ? { children } : {}) } }
      : { value };
  const scope: Scope = { state: ctx.state, catalog: ctx.catalog, now: ctx.now, properties: ctx.properties };
  switch (c.kind) {
    case 'and':
    case 'or': {
      const parts = c.conditions.map((x) => evalCondition(x, ctx));
      const vals = parts.map((p) => p.value);
      const decisive = c.kind !== 'and';
      const value = vals.includes(decisive) ? decisive : vals.includes(undefined) ? undefined : !decisive;
      return done(value, () => `${c.kind === 'and' ? 'all' : 'any'} of ${parts.length} conditions`, parts.map((p) => p.explanation!));
    }
    case 'not': {
      const inner = evalCondition(c.condition, ctx);
      const value = inner.value === undefined ? undefined : !inner.value;
      return done(value, () => (value === undefined ? 'not of unknown stays unknown' : 'negation'), inner.explanation ? [inner.explanation] : undefined);
    }
    case 'compare': {
      const a = operandValue(c.target, literalType(c.value), scope);
      const b = literalValue(comparedLiteral(c.target, c.value), ctx.now);
      return done(compareWith(a, c.op, b), () => `${describeValue(c.target, a, c.value)}, needed ${c.op} ${describeValue(undefined, b, c.value)}`);
    }
    case 'between': {
      const a = operandValue(c.target, literalType(c.low), scope);
      const lo = literalValue(comparedLiteral(c.target, c.low), ctx.now);
      const hi = literalValue(comparedLiteral(c.target, c.high), ctx.now);
      const value = kleeneAnd(compareWith(a, '>=', lo), compareWith(a, '<=', hi));
      return done(value, () => `${describeValue(c.target, a, c.low)}, needed between ${describeValue(undefined, lo, c.low)} and ${describeValue(undefined, hi, c.high)}`);
    }
    case 'in': {
      const eqs = c.values.map((v) => compareWith(operandValue(c.target, literalType(v), scope), '=', literalValue(comparedLiteral(c.target, v), ctx.now)));
      const any = eqs.includes(true) ? true : eqs.includes(undefined) ? undefined : false;
      const value = any === undefined ? undefined : c.negated ? !any : any;
      const first = c.values[0]!;
      return done(value, () => `${describeValue(c.target, operandValue(c.target, literalType(first), scope), first)}, needed ${c.negated ? 'none' : 'one'} of ${c.values.length} values`);
    }
    case 'text': {
      const a = operandValue(c.target, 'string', scope);
      const part = comparedPart(c.target, c.value);
      const value = typeof a === 'string' ? (c.op === 'contains' ? a.includes(part) : a.startsWith(part)) : undefined;
      return done(value, () => `${describeValue(c.target, a, c.value)}, needed it to ${c.op === 'contains' ? 'contain' : 'start with'} ${JSON.stringify(c.value)}`);
    }
    case 'presence': {
      const present = operandPresent(c.target, scope);
      return done(present === c.present, () => (present ? 'has a value' : 'has no value'));
    }
    case 'performed': {
      const n = inWindow(matching(c, ctx, whereTest), c.window, ctx.now).length;
      const count = c.count ?? { op: 'at_least' as const, n: 1 };
      const value = count.op === 'at_least' ? n >= count.n : count.op === 'at_most' ? n <= count.n : n === count.n;
      return done(value, () => `${describeEvents(n, c.event, c.where, c.window)}, needed ${describeCount(count.op, count.n)}`);
    }
    case 'first_performed': {
      const first = matching(c, ctx, whereTest)[0];
      const value = first !== undefined && inBounds(first.timestamp.getTime(), windowBounds(c.window, ctx.now));
      return done(value, () =>
        first ? `first ${JSON.stringify(c.event)} at ${first.timestamp.toISOString()}` : `never performed ${JSON.stringify(c.event)}`,
      );
    }
    case 'aggregate': {
      const events = inWindow(matching(c, ctx, whereTest), c.window, ctx.now);
      const v = aggregate(c.fn, c.property, events);
      return done(compareWith(v, c.op, c.value), () =>
        `${c.fn}${c.property ? ` of ${c.property.join('.')}` : ''} over ${describeEvents(events.length, c.event, c.where, c.window)} is ${v === undefined ? 'missing' : v}, needed ${c.op} ${c.value}`,
      );
    }
    case 'sequence': {
      const firsts = inWindow(matching(c.first, ctx, whereTest), c.window, ctx.now);
      const thens = matching(c.then, ctx, whereTest);
      const hits = sequenceHits(firsts, thens, gapMs(c), c.negated, ctx.now);
      const value = hits.length > 0;
      return done(value, () => {
        const how = c.negated ? 'not followed by' : 'followed by';
        const at = hits[0] ? `, e.g. at ${hits[0].timestamp.toISOString()}` : '';
        return `${hits.length} of ${firsts.length} ${JSON.stringify(c.first.event)} ${how} ${JSON.stringify(c.then.event)} within the time limit${at}`;
      });
    }
    case 'consent': {
      const status = ctx.state.consent[c.channel];
      const value = status === undefined ? undefined : c.op === '=' ? status === c.status : status !== c.status;
      return done(value, () => (status === undefined ? `no consent recorded for ${c.channel}` : `consent for ${c.channel} is ${status}`));
    }
    case 'in_segment': {
      const target = resolveMembership(c.segment, ctx);
      if ('known' in target) {
        if (!ctx.state.segments) {
          throw new Error(`in segment "${c.segment}": pass resolveSegment, or the customer's segments in the state`);
        }
        const value = ctx.state.segments.includes(c.segment);
        return done(value, () => (value ? `member of ${c.segment}` : `not a member of ${c.segment}`));
      }
      const inner = evalCondition(target.ast, { ...ctx, stack: [...ctx.stack, c.segment] });
      // Membership is two-valued: a segment whose condition is unknown has this customer out.
      const value = inner.value === true;
      return done(value, () => `${value ? 'member' : 'not a member'} of ${c.segment}`, inner.explanation ? [inner.explanation] : undefined);
    }
    default:
      return assertNever(c);
  }
}

const whereTest = (where: Condition, ctx: EvalContext): boolean | undefined => evalCondition(where, ctx).value;

function kleeneAnd(a: boolean | undefined, b: boolean | undefined): boolean | undefined {
  if (a === false || b === false) return false;
  return a === undefined || b === undefined ? undefined : true;
}
