import type { Condition, Duration, Literal, Operand, Window } from '../ast/index.js';
import { assertNever, isRelativeLiteral, literalType } from '../ast/index.js';
import { gapMs, matching } from './behaviour.js';
import { resolveMembership, type EvalContext } from './context.js';
import { evalCondition } from './evaluate.js';
import { firstReaching, fixedLength, shift } from './time.js';
import { operandValue } from './values.js';

/**
 * The first instant after as_of at which membership differs, if no new data arrives; null if never.
 *
 * Every clock-dependent part of a definition changes its truth only at instants this function lists:
 * an event leaving or entering a window, a sequence's time limit elapsing, a relative date or
 * days_since_last_order crossing a stored value. Between two listed instants the whole tree is
 * therefore constant, so evaluating it at the listed instants in order finds the exact flip (to the
 * millisecond, the resolution of evaluation).
 */
export function changesAt(ast: Condition, ctx: EvalContext, member: boolean, memberAt: (at: number) => boolean): Date | null {
  for (const t of changeCandidates(ast, ctx)) if (memberAt(t) !== member) return new Date(t);
  return null;
}

/**
 * The instants after ctx.now, ascending, at which the truth of `ast` can change with no new data (a
 * superset of the instants where it does). The real-time engine uses it for the conditions it does not
 * keep state of its own for (fields, traits, relative dates).
 */
export function changeCandidates(ast: Condition, ctx: EvalContext): number[] {
  const found = new Set<number>();
  collect(ast, ctx, found);
  return [...found].filter((t) => t > ctx.now && t <= 8.64e15).sort((a, b) => a - b);
}

/** The smallest instant after as_of where shift(T, d, sign) >= t (or > t when strict). */
function shiftReaches(t: number, d: Duration, sign: 1 | -1, from: number, strict: boolean): number | undefined {
  const len = fixedLength(d);
  const target = strict ? t + 1 : t;
  if (len !== undefined) return Math.max(target - sign * len, from);
  return firstReaching((T) => shift(T, d, sign), target, from);
}

/**
 * The instants from `from` on at which an event at t enters or leaves window w (the edges of
 * `between … ago`, the end of `within`); `since` has none.
 */
export function windowEdges(w: Window | undefined, t: number, from: number, out: Set<number>): void {
  if (!w) return;
  const add = (x: number | undefined): void => void (x !== undefined && out.add(x));
  switch (w.kind) {
    case 'within':
      add(shiftReaches(t, w.duration, -1, from, false));
      return;
    case 'ago':
      add(shiftReaches(t, w.from, -1, from, false));
      add(shiftReaches(t, w.to, -1, from, false));
      return;
    case 'since':
      return;
    default:
      assertNever(w);
  }
}

/** Instants where `operand op literal` can change: a moving literal (−90d) or a moving field (days_since). */
function comparisonEdges(target: Operand, values: readonly Literal[], ctx: EvalContext, out: Set<number>): void {
  const from = ctx.now + 1;
  const def = target.kind === 'field' ? ctx.catalog.get(target.name) : undefined;
  for (const v of values) {
    if (isRelativeLiteral(v)) {
      const stored = operandValue(target, 'timestamp', { state: ctx.state, catalog: ctx.catalog, now: ctx.now });
      if (typeof stored !== 'number') continue;
      for (const strict of [false, true]) {
        const at = shiftReaches(stored, v.relative, 1, from, strict);
        if (at !== undefined) out.add(at);
      }
    } else if (def?.derive === 'days_since' && literalType(v) === 'number') {
      const days = (at: number): number => {
        const d = operandValue(target, 'number', { state: ctx.state, catalog: ctx.catalog, now: at });
        return typeof d === 'number' ? d : -Infinity;
      };
      if (days(ctx.now) === -Infinity) continue;
      const k = v as number;
      const atLeast = firstReaching(days, k, from);
      if (atLeast !== undefined) out.add(atLeast);
      // strictly greater: the first instant whose value exceeds k
      const above = firstReaching((at) => (days(at) > k ? 1 : 0), 1, from);
      if (above !== undefined) out.add(above);
    }
  }
}

function collect(c: Condition, ctx: EvalContext, out: Set<number>): void {
  const from = ctx.now + 1;
  const whereTest = (w: Condition, x: EvalContext): boolean | undefined => evalCondition(w, x).value;
  switch (c.kind) {
    case 'and':
    case 'or':
      c.conditions.forEach((x) => collect(x, ctx, out));
      return;
    case 'not':
      collect(c.condition, ctx, out);
      return;
    case 'compare':
      comparisonEdges(c.target, [c.value], ctx, out);
      return;
    case 'between':
      comparisonEdges(c.target, [c.low, c.high], ctx, out);
      return;
    case 'in':
      comparisonEdges(c.target, c.values, ctx, out);
      return;
    case 'text':
    case 'presence':
    case 'consent':
      return;
    case 'performed':
    case 'aggregate':
    case 'first_performed':
      if (!c.window) return;
      for (const e of matching(c, ctx, whereTest)) windowEdges(c.window, e.timestamp.getTime(), from, out);
      return;
    case 'sequence': {
      const gap = gapMs(c);
      for (const e of matching(c.first, ctx, whereTest)) {
        const t = e.timestamp.getTime();
        windowEdges(c.window, t, from, out);
        out.add(t + gap);
      }
      return;
    }
    case 'in_segment': {
      const target = resolveMembership(c.segment, ctx);
      if ('ast' in target) collect(target.ast, { ...ctx, stack: [...ctx.stack, c.segment] }, out);
      return;
    }
    default:
      assertNever(c);
  }
}
