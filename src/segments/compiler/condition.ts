import type { Condition, Literal, LiteralType, Operand, Window } from '../ast/index.js';
import { assertNever, comparedLiteral, comparedPart, isRelativeLiteral, literalType, SEGMENT_LIMITS, SegmentError, throwIfErrors } from '../ast/index.js';
import { checkSegment } from '../catalog/check.js';
import { gapMs } from '../evaluator/behaviour.js';
import { shift, windowBounds } from '../evaluator/time.js';
import type { SqlBuilder } from './builder.js';

/** Where operands read JSON from: the customer's traits, or (inside where) the event's properties. */
export interface SqlScope {
  readonly json: string;
  readonly inWhere?: boolean;
  /** Segments being inlined, outermost first, to refuse cycles. */
  readonly stack: readonly string[];
}

/**
 * The one switch over condition nodes on the SQL side. Each node becomes a boolean expression that is
 * NULL exactly when the evaluator says unknown, so SQL's own three-valued AND/OR/NOT and WHERE give
 * the documented semantics.
 */
export function conditionSql(c: Condition, b: SqlBuilder, scope: SqlScope): string {
  const d = b.dialect;
  if (c.kind !== 'and' && c.kind !== 'or' && c.kind !== 'not' && ++b.conditions > SEGMENT_LIMITS.conditions) {
    // Inlined segments can multiply conditions (a refers to b twice, b to c twice, …): counted as compiled.
    throw new SegmentError(
      'segment_too_large',
      `The definition has more than ${SEGMENT_LIMITS.conditions} conditions once the segments it uses (in segment) are included; simplify it.`,
      undefined,
      { limit: SEGMENT_LIMITS.conditions },
    );
  }
  switch (c.kind) {
    case 'and':
    case 'or':
      return '(' + c.conditions.map((x) => conditionSql(x, b, scope)).join(c.kind === 'and' ? ' AND ' : ' OR ') + ')';
    case 'not':
      return `(NOT ${conditionSql(c.condition, b, scope)})`;
    case 'compare': {
      const type = literalType(c.value);
      return `(${operandSql(c.target, type, b, scope)} ${c.op === '!=' ? '<>' : c.op} ${literalSql(comparedLiteral(c.target, c.value), b)})`;
    }
    case 'between': {
      const v = operandSql(c.target, literalType(c.low), b, scope);
      return `(${v} >= ${literalSql(comparedLiteral(c.target, c.low), b)} AND ${v} <= ${literalSql(comparedLiteral(c.target, c.high), b)})`;
    }
    case 'in': {
      const alternatives = c.values.map((v) => `${operandSql(c.target, literalType(v), b, scope)} = ${literalSql(comparedLiteral(c.target, v), b)}`);
      const any = `(${alternatives.join(' OR ')})`;
      return c.negated ? `(NOT ${any})` : any;
    }
    case 'text': {
      const v = operandSql(c.target, 'string', b, scope);
      const p = b.param(comparedPart(c.target, c.value), 'string');
      return c.op === 'contains' ? d.contains(v, p) : d.startsWith(v, p);
    }
    case 'presence': {
      const present = presenceSql(c.target, b, scope);
      return c.present ? present : `(NOT ${present})`;
    }
    case 'performed': {
      const n = b.eventAggregate(d.aggregate('count', null, eventFilter(c.event, c.where, c.window, b, scope)), eventName(c.event, b), scanFrom(c.window, b));
      const count = c.count ?? { op: 'at_least', n: 1 };
      const op = count.op === 'at_least' ? '>=' : count.op === 'at_most' ? '<=' : '=';
      return `(coalesce(${n}, 0) ${op} ${b.param(count.n, 'number')})`;
    }
    case 'first_performed': {
      // the first event ever: the scan cannot start at the window
      const first = b.eventAggregate(d.aggregate('first', 'e.timestamp', eventFilter(c.event, c.where, undefined, b, scope)), eventName(c.event, b), null);
      return `coalesce(${boundsSql(first, c.window, b)}, false)`;
    }
    case 'aggregate': {
      const filter = eventFilter(c.event, c.where, c.window, b, scope);
      const value = c.property ? d.jsonValue('e.properties', b.param(d.jsonPath(c.property), 'string'), 'number') : null;
      const agg = b.eventAggregate(d.aggregate(c.fn, value, filter), eventName(c.event, b), scanFrom(c.window, b));
      // count and sum over no events are 0; avg, min and max stay NULL (unknown).
      const v = c.fn === 'count' || c.fn === 'sum' ? `coalesce(${agg}, 0)` : agg;
      return `(${v} ${c.op === '!=' ? '<>' : c.op} ${b.param(c.value, 'number')})`;
    }
    case 'sequence':
      return `(${sequenceCte(c, b, scope)}.customer_id IS NOT NULL)`;
    case 'consent': {
      const k = b.consent(c.channel);
      return `(${k}.status ${c.op === '!=' ? '<>' : '='} ${b.param(c.status, 'string')})`;
    }
    case 'in_segment': {
      if (scope.stack.includes(c.segment)) {
        const cycle = [...scope.stack.slice(scope.stack.indexOf(c.segment)), c.segment].join(' → ');
        throw new SegmentError('segment_cycle', `Segments refer to each other in a cycle: ${cycle}.`, undefined, { cycle });
      }
      const ast = b.resolveSegment?.(c.segment);
      if (!ast) throw new SegmentError('unknown_segment', `in segment "${c.segment}": there is no segment named "${c.segment}".`, undefined, { segment: c.segment });
      throwIfErrors(checkSegment(ast, { catalog: b.catalog }), `Segment "${c.segment}" (used with in segment)`);
      // Membership is two-valued: unknown means not a member.
      return `coalesce(${conditionSql(ast, b, { ...scope, stack: [...scope.stack, c.segment] })}, false)`;
    }
    default:
      return assertNever(c);
  }
}

function operandSql(o: Operand, type: LiteralType, b: SqlBuilder, scope: SqlScope): string {
  const d = b.dialect;
  switch (o.kind) {
    case 'field': {
      const def = b.catalog.get(o.name)!;
      const alias = b.table(def.table);
      const column = `${alias}.${d.quoteIdentifier(def.column)}`;
      let value: string;
      if (def.derive === 'days_since') value = `((${b.param(b.asOf, 'number')} - ${d.epochMillis(column)}) / 86400000.0)`;
      else if (def.type === 'number') value = d.toDouble(column);
      else value = column;
      if (def.default === undefined) return value;
      return `(CASE WHEN ${alias}.customer_id IS NULL THEN ${b.param(def.default, def.type)} ELSE ${value} END)`;
    }
    case 'trait':
      return d.jsonValue('c.traits', b.param(d.jsonPath(o.path), 'string'), type);
    case 'property':
      return d.jsonValue(scope.json, b.param(d.jsonPath(o.path), 'string'), type);
    default:
      return assertNever(o);
  }
}

function presenceSql(o: Operand, b: SqlBuilder, scope: SqlScope): string {
  switch (o.kind) {
    case 'field':
      return `(${operandSql(o, 'number', b, scope)} IS NOT NULL)`;
    case 'trait':
      return b.dialect.jsonPresent('c.traits', b.param(b.dialect.jsonPath(o.path), 'string'));
    case 'property':
      return b.dialect.jsonPresent(scope.json, b.param(b.dialect.jsonPath(o.path), 'string'));
    default:
      return assertNever(o);
  }
}

function literalSql(v: Literal, b: SqlBuilder): string {
  if (typeof v === 'number') return b.param(v, 'number');
  if (typeof v === 'string') return b.param(v, 'string');
  if (typeof v === 'boolean') return b.param(v, 'boolean');
  const at = isRelativeLiteral(v) ? shift(b.asOf, v.relative) : Date.parse(v.date);
  return b.param(new Date(at), 'timestamp');
}

function eventName(event: string, b: SqlBuilder): string {
  return `e.event = ${b.param(event, 'string')}`;
}

/**
 * The events a behaviour condition counts: the name, the window, and the where clause. The where
 * clause sits in a CASE so the JSON it reads is parsed only for events already of the right name and
 * time (several times faster than a plain AND on a large events table).
 */
function eventFilter(event: string, where: Condition | undefined, window: Window | undefined, b: SqlBuilder, scope: SqlScope): string {
  const parts = [eventName(event, b)];
  if (window) parts.push(boundsSql('e.timestamp', window, b));
  const cheap = parts.join(' AND ');
  if (!where) return cheap;
  return `CASE WHEN ${cheap} THEN ${conditionSql(where, b, { json: 'e.properties', inWhere: true, stack: scope.stack })} ELSE false END`;
}

function scanFrom(window: Window | undefined, b: SqlBuilder): number | null {
  return window ? windowBounds(window, b.asOf).lower : null;
}

/** expr inside the window at as_of (same bounds as the evaluator: computed here, bound as parameters). */
function boundsSql(expr: string, window: Window, b: SqlBuilder): string {
  const w = windowBounds(window, b.asOf);
  const lower = `${expr} ${w.lowerInclusive ? '>=' : '>'} ${b.param(new Date(w.lower), 'timestamp')}`;
  return `(${lower} AND ${expr} <= ${b.param(new Date(w.upper), 'timestamp')})`;
}

/**
 * A sequence as customers having a qualifying first event: each first event is paired with the next
 * then-event after it (ASOF join), which decides whether one came within the gap.
 */
function sequenceCte(c: Extract<Condition, { kind: 'sequence' }>, b: SqlBuilder, scope: SqlScope): string {
  const asOf = b.param(new Date(b.asOf), 'timestamp');
  const side = (event: string, where: Condition | undefined, window: Window | undefined): string =>
    `SELECT e.customer_id, e.timestamp AS t FROM events e\n    WHERE e.customer_id IS NOT NULL AND e.timestamp <= ${asOf} AND ${eventFilter(event, where, window, b, scope)}`;
  const gap = gapMs(c);
  const limit = b.dialect.addMillis('a.t', b.param(gap, 'number'));
  const condition = c.negated
    ? `a.t <= ${b.param(new Date(b.asOf - gap), 'timestamp')} AND (n.t IS NULL OR n.t > ${limit})`
    : `n.t IS NOT NULL AND n.t <= ${limit}`;
  return b.sequence(
    `  SELECT DISTINCT a.customer_id\n  FROM (${side(c.first.event, c.first.where, c.window)}) a\n` +
      `  ${b.dialect.asofLeftJoin} (${side(c.then.event, c.then.where, undefined)}) n\n` +
      `    ON n.customer_id = a.customer_id AND n.t > a.t\n  WHERE ${condition}`,
  );
}
