import fc from 'fast-check';
import type { Condition, Literal, Operand, Window } from '../../../src/segments/index.js';
import { defaultCatalog } from '../../../src/segments/index.js';

/**
 * Syntactically wild but valid definitions, for the text round trip: any text in names, paths and
 * strings (keywords, quotes, backquotes, dots, unicode, lone surrogates), any number in range, every
 * node kind and every time unit.
 */

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('and', 'or', 'not', 'in', 'traits', 'performed', 'then', 'where', 'a.b', 'x`y', 'x\\y', '"q"', 'Order Completed', 'ünï', 'count'),
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/),
);
const nonEmpty = text.filter((s) => s.length > 0);
const path = fc.array(nonEmpty, { minLength: 1, maxLength: 3 });
// any number a definition accepts: finite and below 2^63 in size (SEGMENT_LIMITS.numberMagnitude)
const number = fc.double({ noNaN: true, noDefaultInfinity: true, min: -(2 ** 63), max: 2 ** 63, maxExcluded: true, minExcluded: true }).filter((n) => !Object.is(n, -0));
const unit = fc.constantFrom('s', 'min', 'h', 'd', 'w', 'm', 'y' as const);
const fixedUnit = fc.constantFrom('s', 'min', 'h', 'd', 'w' as const);
const duration = fc.record({ amount: fc.integer({ min: 1, max: 1000 }), unit });
const date = fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
const midnight = fc.integer({ min: -300000, max: 2900000 }).map((days) => new Date(days * 86_400_000).toISOString());
const literal: fc.Arbitrary<Literal> = fc.oneof(
  number,
  text,
  fc.boolean(),
  fc.oneof(date, midnight).map((d) => ({ date: d })),
  fc.record({ amount: fc.integer({ min: -1000, max: 1000 }), unit }).map((r) => ({ relative: r })),
);
const window: fc.Arbitrary<Window> = fc.oneof(
  duration.map((d) => ({ kind: 'within' as const, duration: d })),
  fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 50 }), fixedUnit).map(([a, b, u]) => ({
    kind: 'ago' as const,
    from: { amount: a, unit: u },
    to: { amount: a + b, unit: u },
  })),
  fc.oneof(date, midnight).map((d) => ({ kind: 'since' as const, date: d })),
);
const op = fc.constantFrom('=', '!=', '<', '<=', '>', '>=' as const);
const eqOp = fc.constantFrom('=', '!=' as const);
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const fieldNames = defaultCatalog.fields().map((f) => f.name);
const orderedNonBool = literal.filter((l) => typeof l !== 'boolean');

function comparisons(target: fc.Arbitrary<Operand>, allowRelative: boolean): fc.Arbitrary<Condition> {
  const lit = allowRelative ? literal : literal.filter((l) => typeof l !== 'object' || !('relative' in l));
  const ordered = allowRelative ? orderedNonBool : orderedNonBool.filter((l) => typeof l !== 'object' || !('relative' in l));
  return fc.oneof(
    fc.record({ kind: fc.constant('compare' as const), target, op: eqOp, value: lit }),
    fc.record({ kind: fc.constant('compare' as const), target, op, value: ordered }),
    ordered.chain((low) =>
      fc.record({ kind: fc.constant('between' as const), target, low: fc.constant(low), high: ordered.filter((h) => sameType(h, low)) }),
    ),
    fc.record({ kind: fc.constant('in' as const), target, values: fc.array(lit, { minLength: 1, maxLength: 3 }), negated: fc.boolean() }),
    fc.record({ kind: fc.constant('text' as const), target, op: fc.constantFrom('contains' as const, 'starts_with' as const), value: text }),
    fc.record({ kind: fc.constant('presence' as const), target, present: fc.boolean() }),
  );
}

function sameType(a: Literal, b: Literal): boolean {
  const t = (l: Literal) => (typeof l === 'object' ? 'timestamp' : typeof l);
  return t(a) === t(b);
}

const property = path.map((p) => ({ kind: 'property' as const, path: p }));
const where: fc.Arbitrary<Condition> = fc.letrec<{ w: Condition }>((tie) => ({
  w: fc.oneof(
    { depthSize: 'small' },
    { arbitrary: comparisons(property, false), weight: 4 },
    { arbitrary: tie('w').map((condition) => ({ kind: 'not' as const, condition })), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom('and' as const, 'or' as const), fc.array(tie('w'), { minLength: 2, maxLength: 3 })).map(([kind, conditions]) => ({ kind, conditions })), weight: 1 },
  ),
})).w;

const trait = path.map((p) => ({ kind: 'trait' as const, path: p }));
const numericField = fc.constantFrom('orders_count', 'total_spent', 'days_since_last_order').map((name) => ({ kind: 'field' as const, name }));
const behaviour: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ event: nonEmpty, where: opt(where), count: opt(fc.record({ op: fc.constantFrom('at_least' as const, 'at_most' as const, 'exactly' as const), n: fc.nat(1000) })), window: opt(window) }).map((r) => compact({ kind: 'performed' as const, ...r })),
  fc.record({ event: nonEmpty, where: opt(where), window }).map((r) => compact({ kind: 'first_performed' as const, ...r })),
  fc.record({ fn: fc.constantFrom('count' as const, 'sum' as const, 'avg' as const, 'min' as const, 'max' as const), property: path, event: nonEmpty, where: opt(where), window: opt(window), op, value: number }).map((r) =>
    compact({ kind: 'aggregate' as const, ...r, property: r.fn === 'count' ? undefined : r.property }),
  ),
  fc.record({
    first: fc.record({ event: nonEmpty, where: opt(where) }).map(compact),
    then: fc.record({ event: nonEmpty, where: opt(where) }).map(compact),
    negated: fc.boolean(),
    gap: fc.record({ amount: fc.integer({ min: 1, max: 100 }), unit: fixedUnit }),
    window: opt(window),
  }).map((r) => compact({ kind: 'sequence' as const, ...r })),
);
const leaf: fc.Arbitrary<Condition> = fc.oneof(
  comparisons(trait, true),
  fc.record({ kind: fc.constant('compare' as const), target: numericField, op, value: number }),
  fc.record({ kind: fc.constant('compare' as const), target: fc.constant({ kind: 'field' as const, name: 'last_order_at' }), op, value: literal.filter((l) => typeof l === 'object') }),
  fc.record({ kind: fc.constant('presence' as const), target: fc.constantFrom(...fieldNames).map((name) => ({ kind: 'field' as const, name })), present: fc.boolean() }),
  behaviour,
  fc.record({ kind: fc.constant('consent' as const), channel: nonEmpty, op: eqOp, status: nonEmpty }),
  fc.record({ kind: fc.constant('in_segment' as const), segment: nonEmpty }),
);

export const wildDefinition: fc.Arbitrary<Condition> = fc.letrec<{ n: Condition }>((tie) => ({
  n: fc.oneof(
    { depthSize: 'small' },
    { arbitrary: leaf, weight: 4 },
    { arbitrary: tie('n').map((condition) => ({ kind: 'not' as const, condition })), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom('and' as const, 'or' as const), fc.array(tie('n'), { minLength: 2, maxLength: 3 })).map(([kind, conditions]) => ({ kind, conditions })), weight: 2 },
  ),
})).n;
