import fc from 'fast-check';
import type { Condition, Duration, Literal, Window } from '../../../src/segments/index.js';

/**
 * Random segment definitions over a small world (a few event names, properties, traits and fields),
 * so that generated definitions and generated customers actually meet: counts hit their thresholds,
 * windows cut through event histories, comparisons meet equal values. Every generated AST is valid
 * for the default catalog.
 */

export const eventNames = ['Product Viewed', 'Order Completed', 'Checkout Started'] as const;
export const categories = ['Dresses', 'Shoes', 'Bags'] as const;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Every generated instant is base + whole hours (plus, rarely, a few ms), so window edges are hit exactly. */
export const BASE = Date.UTC(2024, 0, 1);

const fixedDuration: fc.Arbitrary<Duration> = fc.oneof(
  fc.record({ amount: fc.constantFrom(12, 24, 36), unit: fc.constant('h' as const) }),
  fc.record({ amount: fc.integer({ min: 1, max: 10 }), unit: fc.constant('d' as const) }),
  fc.record({ amount: fc.integer({ min: 1, max: 2 }), unit: fc.constant('w' as const) }),
);
const anyDuration: fc.Arbitrary<Duration> = fc.oneof(
  { arbitrary: fixedDuration, weight: 4 },
  { arbitrary: fc.record({ amount: fc.integer({ min: 1, max: 2 }), unit: fc.constant('m' as const) }), weight: 1 },
);

/** Instants on a 12-hour grid over 40 days: coarse on purpose, so events sit exactly on window edges. */
export const GRID = 12 * HOUR;
export const instantArb = fc.integer({ min: 0, max: 80 }).map((k) => BASE + k * GRID);
const dateLiteral = instantArb.map((t) => ({ date: new Date(t).toISOString() }));
const relative = anyDuration.chain((d) => fc.constantFrom(-1, 1).map((s) => ({ relative: { amount: s * d.amount, unit: d.unit } })));

export const windowArb: fc.Arbitrary<Window> = fc.oneof(
  fixedDuration.map((duration) => ({ kind: 'within' as const, duration })),
  anyDuration.map((duration) => ({ kind: 'within' as const, duration })),
  fc
    .tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 10 }))
    .map(([a, b]) => ({ kind: 'ago' as const, from: { amount: a, unit: 'd' as const }, to: { amount: a + b, unit: 'd' as const } })),
  dateLiteral.map((d) => ({ kind: 'since' as const, date: d.date })),
);

const numberLit = fc.oneof(fc.integer({ min: -2, max: 120 }), fc.constantFrom(0.5, 12.34, 99.99));
const stringLit = fc.constantFrom<string>('Dresses', 'Shoes', 'DE', 'FR', 'pro', 'free', 'D', '');
const scalarLit: fc.Arbitrary<Literal> = fc.oneof(numberLit, stringLit, fc.boolean(), dateLiteral);
const orderedLit: fc.Arbitrary<Literal> = fc.oneof(numberLit, stringLit, dateLiteral);
const compareOp = fc.constantFrom('=', '!=', '<', '<=', '>', '>=' as const);
const eqOp = fc.constantFrom('=', '!=' as const);

// ---- property filters (inside where) ----
const propertyPath = fc.constantFrom<string[]>(['category'], ['price'], ['meta', 'tag'], ['missing']);
const propertyLeaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ kind: fc.constant('compare' as const), target: propertyPath.map((path) => ({ kind: 'property' as const, path })), op: eqOp, value: scalarLit }),
  fc.record({ kind: fc.constant('compare' as const), target: propertyPath.map((path) => ({ kind: 'property' as const, path })), op: compareOp, value: orderedLit }),
  fc.record({
    kind: fc.constant('in' as const),
    target: propertyPath.map((path) => ({ kind: 'property' as const, path })),
    values: fc.array(scalarLit, { minLength: 1, maxLength: 3 }),
    negated: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('presence' as const), target: propertyPath.map((path) => ({ kind: 'property' as const, path })), present: fc.boolean() }),
);
const whereArb: fc.Arbitrary<Condition> = fc.oneof(
  { arbitrary: propertyLeaf, weight: 4 },
  { arbitrary: propertyLeaf.map((condition) => ({ kind: 'not' as const, condition })), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom('and' as const, 'or' as const), fc.array(propertyLeaf, { minLength: 2, maxLength: 2 })).map(([kind, conditions]) => ({ kind, conditions })), weight: 1 },
);

const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 2 });
function withOptional<T extends object>(base: T, extra: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return out as T;
}

// ---- customer-level leaves ----
const numberFields = ['orders_count', 'total_spent', 'avg_order_value', 'days_since_last_order', 'distinct_products'] as const;
const traitPath = fc.constantFrom<string[]>(['country'], ['plan'], ['signup'], ['vip'], ['address', 'city'], ['score']);
const traitRef = traitPath.map((path) => ({ kind: 'trait' as const, path }));

const fieldCompare: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ kind: fc.constant('compare' as const), target: fc.constantFrom(...numberFields).map((name) => ({ kind: 'field' as const, name })), op: compareOp, value: numberLit }),
  fc.record({ kind: fc.constant('compare' as const), target: fc.constantFrom('last_order_at', 'first_order_at').map((name) => ({ kind: 'field' as const, name })), op: compareOp, value: fc.oneof(relative, dateLiteral) }),
  fc.record({ kind: fc.constant('compare' as const), target: fc.constant({ kind: 'field' as const, name: 'top_category' }), op: compareOp, value: stringLit }),
  fc.record({
    kind: fc.constant('between' as const),
    target: fc.constantFrom(...numberFields).map((name) => ({ kind: 'field' as const, name })),
    low: fc.integer({ min: 0, max: 50 }),
    high: fc.integer({ min: 0, max: 120 }),
  }),
  fc.record({ kind: fc.constant('between' as const), target: fc.constant({ kind: 'field' as const, name: 'last_order_at' }), low: relative, high: relative }),
);

const traitCompare: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ kind: fc.constant('compare' as const), target: traitRef, op: eqOp, value: scalarLit }),
  fc.record({ kind: fc.constant('compare' as const), target: traitRef, op: compareOp, value: fc.oneof(orderedLit, relative) }),
  fc.record({ kind: fc.constant('in' as const), target: traitRef, values: fc.array(scalarLit, { minLength: 1, maxLength: 3 }), negated: fc.boolean() }),
  fc.record({ kind: fc.constant('text' as const), target: traitRef, op: fc.constantFrom('contains' as const, 'starts_with' as const), value: fc.constantFrom('D', 'pr', 'e', '') }),
  fc.record({ kind: fc.constant('presence' as const), target: fc.oneof(traitRef, fc.constant({ kind: 'field' as const, name: 'last_order_at' })), present: fc.boolean() }),
);

const eventName = fc.constantFrom(...eventNames);
const performed: fc.Arbitrary<Condition> = fc
  .tuple(eventName, opt(whereArb), opt(fc.record({ op: fc.constantFrom('at_least' as const, 'at_most' as const, 'exactly' as const), n: fc.integer({ min: 0, max: 4 }) })), opt(windowArb))
  .map(([event, where, count, window]) => withOptional({ kind: 'performed' as const, event }, { where, count, window }));
const firstPerformed: fc.Arbitrary<Condition> = fc
  .tuple(eventName, opt(whereArb), windowArb)
  .map(([event, where, window]) => withOptional({ kind: 'first_performed' as const, event, window }, { where }));
const aggregate: fc.Arbitrary<Condition> = fc
  .tuple(fc.constantFrom('count' as const, 'sum' as const, 'avg' as const, 'min' as const, 'max' as const), eventName, opt(whereArb), opt(windowArb), compareOp, fc.integer({ min: 0, max: 150 }))
  .map(([fn, event, where, window, op, value]) =>
    withOptional({ kind: 'aggregate' as const, fn, event, op, value }, { property: fn === 'count' ? undefined : ['price'], where, window }),
  );
const pattern = fc.tuple(eventName, opt(whereArb)).map(([event, where]) => withOptional({ event }, { where }));
const sequence: fc.Arbitrary<Condition> = fc
  .tuple(pattern, pattern, fc.boolean(), fixedDuration, opt(windowArb))
  .map(([first, then, negated, gap, window]) => withOptional({ kind: 'sequence' as const, first, then, negated, gap }, { window }));
const consent: fc.Arbitrary<Condition> = fc.record({
  kind: fc.constant('consent' as const),
  channel: fc.constantFrom('email', 'sms'),
  op: eqOp,
  status: fc.constantFrom('granted', 'denied'),
});

/** Segments `in segment` may name in generated definitions (see namedSegments). */
export const namedSegments: Record<string, Condition> = {
  buyers: { kind: 'compare', target: { kind: 'field', name: 'orders_count' }, op: '>=', value: 1 },
  recent: { kind: 'performed', event: 'Product Viewed', window: { kind: 'within', duration: { amount: 3, unit: 'd' } } },
  german_buyers: {
    kind: 'and',
    conditions: [
      { kind: 'in_segment', segment: 'buyers' },
      { kind: 'compare', target: { kind: 'trait', path: ['country'] }, op: '=', value: 'DE' },
    ],
  },
};
const inSegment: fc.Arbitrary<Condition> = fc.constantFrom(...Object.keys(namedSegments)).map((segment) => ({ kind: 'in_segment' as const, segment }));

export const leafArb: fc.Arbitrary<Condition> = fc.oneof(
  { arbitrary: fieldCompare, weight: 3 },
  { arbitrary: traitCompare, weight: 3 },
  { arbitrary: performed, weight: 3 },
  { arbitrary: aggregate, weight: 2 },
  { arbitrary: firstPerformed, weight: 1 },
  { arbitrary: sequence, weight: 2 },
  { arbitrary: consent, weight: 1 },
  { arbitrary: inSegment, weight: 1 },
);

/** A definition: leaves combined with and / or / not, a few levels deep. */
export const definitionArb: fc.Arbitrary<Condition> = fc.letrec<{ node: Condition }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: leafArb, weight: 5 },
    { arbitrary: tie('node').map((condition) => ({ kind: 'not' as const, condition })), weight: 1 },
    {
      arbitrary: fc.tuple(fc.constantFrom('and' as const, 'or' as const), fc.array(tie('node'), { minLength: 2, maxLength: 3 })).map(([kind, conditions]) => ({ kind, conditions })),
      weight: 2,
    },
  ),
})).node;
