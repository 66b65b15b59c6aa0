import type { AggregateFn, Condition, EventPattern, SequenceNode, Window } from '../ast/index.js';
import type { EvalContext } from './context.js';
import type { CustomerEvent } from './state.js';
import { fixedLength, inBounds, windowBounds } from './time.js';
import { jsonAs, jsonAt } from './values.js';

/** Evaluates a where clause for one event; defined in evaluate.ts (the one switch over nodes). */
export type WhereTest = (where: Condition, ctx: EvalContext) => boolean | undefined;

/** Events with the name whose where clause is TRUE (unknown does not count), oldest first. */
export function matching(pattern: EventPattern, ctx: EvalContext, test: WhereTest): CustomerEvent[] {
  const cached = ctx.matches?.get(pattern);
  if (cached) return cached;
  const out: CustomerEvent[] = [];
  for (const e of ctx.events) {
    if (e.event !== pattern.event) continue;
    if (pattern.where && test(pattern.where, { ...ctx, properties: e.properties ?? null, explain: false }) !== true) continue;
    out.push(e);
  }
  ctx.matches?.set(pattern, out);
  return out;
}

export function inWindow(events: readonly CustomerEvent[], w: Window | undefined, now: number): CustomerEvent[] {
  const b = windowBounds(w, now);
  return events.filter((e) => inBounds(e.timestamp.getTime(), b));
}

/**
 * count and sum over no events are 0; avg, min and max are missing. Only numeric property values take
 * part, so `avg of price` ignores events whose price is text or absent.
 */
export function aggregate(fn: AggregateFn, property: readonly string[] | undefined, events: readonly CustomerEvent[]): number | undefined {
  if (fn === 'count') return events.length;
  const values: number[] = [];
  for (const e of events) {
    const v = jsonAs(jsonAt(e.properties, property ?? []), 'number');
    if (typeof v === 'number') values.push(v);
  }
  if (fn === 'sum') return values.reduce((a, b) => a + b, 0);
  if (values.length === 0) return undefined;
  if (fn === 'avg') return values.reduce((a, b) => a + b, 0) / values.length;
  return fn === 'min' ? Math.min(...values) : Math.max(...values);
}

/**
 * For a sequence: the first-pattern events that satisfy it at clock now. Negated: no then-event in
 * (t, t + gap] and t + gap <= now. Positive: a then-event in (t, t + gap].
 */
export function sequenceHits(
  firsts: readonly CustomerEvent[],
  thens: readonly CustomerEvent[],
  gap: number,
  negated: boolean,
  now: number,
): CustomerEvent[] {
  const thenTimes = thens.map((e) => e.timestamp.getTime()).sort((a, b) => a - b);
  return firsts.filter((a) => {
    const t = a.timestamp.getTime();
    const next = thenTimes.find((x) => x > t);
    const followed = next !== undefined && next <= t + gap;
    return negated ? !followed && t + gap <= now : followed;
  });
}

/** A sequence's time limit in ms; the checker has refused calendar units before this runs. */
export function gapMs(c: SequenceNode): number {
  const ms = fixedLength(c.gap);
  if (ms === undefined) throw new Error('a sequence gap must have a fixed length');
  return ms;
}
