import { assertNever } from '../../segments/ast/index.js';
import type { Catalog } from '../../segments/catalog/catalog.js';
import type { EvalContext } from '../../segments/evaluator/context.js';
import { evalCondition } from '../../segments/evaluator/evaluate.js';
import { inBounds, windowBounds } from '../../segments/evaluator/time.js';
import { compareWith } from '../../segments/evaluator/values.js';
import type { LiveNode } from '../plan/live-node.js';
import type { StreamDef } from '../plan/streams.js';
import type { CustomerRecord } from '../state/customer.js';
import { lowerBound, upperBound, type StreamState } from '../state/stream-state.js';

/** One evaluation: the customer, the catalog the definitions were checked against, the clock. */
export interface LiveContext {
  readonly rec: CustomerRecord;
  readonly catalog: Catalog;
  readonly now: number;
}

/** The evaluator's context for the profile conditions (fields, traits, consent): they read no events. */
export function profileContext(ctx: LiveContext): EvalContext {
  return { state: ctx.rec.profile, catalog: ctx.catalog, now: ctx.now, events: [], stack: [], explain: false };
}

const EMPTY: StreamState = { t: [], v: [], count: 0, first: Infinity, n: [], sum: [], min: [], max: [] };

export function streamOf(rec: CustomerRecord, def: StreamDef): StreamState {
  return rec.streams[def.slot] ?? EMPTY;
}

/** The index range [lo, hi) of held events inside the window at clock now (no window: up to now). */
export function windowRange(s: StreamState, window: Parameters<typeof windowBounds>[0], now: number): [number, number] {
  if (!window) return [0, upperBound(s.t, now)];
  const b = windowBounds(window, now);
  const lo = b.lowerInclusive ? lowerBound(s.t, b.lower) : upperBound(s.t, b.lower);
  return [lo, Math.max(lo, upperBound(s.t, b.upper))];
}

/**
 * Membership logic of the live state, case for case the segment evaluator's (evaluator/evaluate.ts)
 * and the compiler's: three-valued and/or/not, `in segment` two-valued, behaviour conditions never
 * unknown, count and sum over no events 0, avg/min/max over no numbers missing. The difference is the
 * data: a window counts the events a stream holds; an unwindowed count or sum adds the summary of the
 * events folded away (which lie before every window).
 */
export function evalLive(node: LiveNode, ctx: LiveContext): boolean | undefined {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const decisive = node.kind === 'or';
      let unknown = false;
      for (const p of node.parts) {
        const v = evalLive(p, ctx);
        if (v === decisive) return decisive;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : !decisive;
    }
    case 'not': {
      const v = evalLive(node.part, ctx);
      return v === undefined ? undefined : !v;
    }
    case 'member':
      return evalLive(node.part, ctx) === true;
    case 'profile':
      return evalCondition(node.cond, profileContext(ctx)).value;
    case 'performed': {
      const s = streamOf(ctx.rec, node.stream);
      const [lo, hi] = windowRange(s, node.window, ctx.now);
      const n = hi - lo + (node.window ? 0 : s.count);
      const c = node.count;
      return c.op === 'at_least' ? n >= c.n : c.op === 'at_most' ? n <= c.n : n === c.n;
    }
    case 'first': {
      const s = streamOf(ctx.rec, node.stream);
      const held = s.t.length > 0 && s.t[0]! <= ctx.now ? s.t[0]! : Infinity;
      const first = Math.min(s.first, held);
      return first !== Infinity && inBounds(first, windowBounds(node.window, ctx.now));
    }
    case 'aggregate':
      return compareWith(aggregateValue(node, ctx), node.op, node.value);
    case 'sequence':
      return sequenceHolds(node, ctx);
    default:
      return assertNever(node);
  }
}

function aggregateValue(node: Extract<LiveNode, { kind: 'aggregate' }>, ctx: LiveContext): number | undefined {
  const s = streamOf(ctx.rec, node.stream);
  const [lo, hi] = windowRange(s, node.window, ctx.now);
  const folded = !node.window;
  if (node.fn === 'count') return hi - lo + (folded ? s.count : 0);
  const col = node.stream.propIndex.get(node.prop!)!;
  let n = folded ? (s.n[col] ?? 0) : 0;
  let sum = folded ? (s.sum[col] ?? 0) : 0;
  let min = folded ? (s.min[col] ?? Infinity) : Infinity;
  let max = folded ? (s.max[col] ?? -Infinity) : -Infinity;
  const values = s.v[col] ?? [];
  for (let k = lo; k < hi; k++) {
    const x = values[k]!;
    if (Number.isNaN(x)) continue;
    n++;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (node.fn === 'sum') return sum;
  if (n === 0) return undefined;
  return node.fn === 'avg' ? sum / n : node.fn === 'min' ? min : max;
}

/**
 * Some first event at t (in the window) is followed by a then-event in (t, t + gap]; negated: is not,
 * and t + gap has passed. Only the next then-event after t decides (evaluator/behaviour.ts sequenceHits).
 */
function sequenceHolds(node: Extract<LiveNode, { kind: 'sequence' }>, ctx: LiveContext): boolean {
  const firsts = streamOf(ctx.rec, node.first);
  const thens = streamOf(ctx.rec, node.then);
  const [lo, hi] = windowRange(firsts, node.window, ctx.now);
  const thenEnd = upperBound(thens.t, ctx.now);
  for (let k = lo; k < hi; k++) {
    const t = firsts.t[k]!;
    const i = upperBound(thens.t, t);
    const followed = i < thenEnd && thens.t[i]! <= t + node.gap;
    if (node.negated ? !followed && t + node.gap <= ctx.now : followed) return true;
  }
  return false;
}
