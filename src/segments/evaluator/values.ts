import type { Catalog } from '../catalog/catalog.js';
import type { FieldDef } from '../catalog/field.js';
import type { CompareOp, Literal, LiteralType, Operand } from '../ast/index.js';
import { isRelativeLiteral, literalType } from '../ast/index.js';
import type { CustomerState } from './state.js';
import { parseInstant } from '../../domain/timestamp.js';
import { shift } from './time.js';

/** A value ready to compare: numbers, strings, booleans, and instants as epoch ms. undefined = missing. */
export type Comparable = number | string | boolean | undefined;

/** The value at a path in parsed JSON, own keys only (arrays by index), as json_extract with a JSON pointer. */
export function jsonAt(root: unknown, path: readonly string[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(key)) return undefined;
      cur = cur[Number(key)];
    } else if (cur !== null && typeof cur === 'object' && Object.hasOwn(cur, key)) {
      cur = (cur as Record<string, unknown>)[key];
    } else return undefined;
  }
  return cur;
}

/** JSON read as the type the literal compares as; anything of another type is missing (as in the SQL). */
export function jsonAs(v: unknown, type: LiteralType): Comparable {
  switch (type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    case 'string':
      return typeof v === 'string' ? v : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? v : undefined;
    case 'timestamp':
      // the timestamp rule of domain/timestamp.ts: any ISO-8601 date-time, UTC when zone-less
      return parseInstant(v);
  }
}

/** A catalog field's value for the customer at clock `now` (days_since fields depend on it). */
export function fieldValue(def: FieldDef, state: CustomerState, now: number): Comparable {
  const row = state.rows[def.table];
  let raw: unknown = row === undefined ? def.default : row[def.column];
  if (raw === null || raw === undefined) return undefined;
  if (def.derive === 'days_since') {
    const t = toMillis(raw);
    return t === undefined ? undefined : (now - t) / 86_400_000;
  }
  if (def.type === 'timestamp') return toMillis(raw);
  if (def.type === 'number' && typeof raw === 'bigint') raw = Number(raw);
  if (def.type === 'number' && typeof raw === 'string') raw = Number(raw);
  return raw as Comparable;
}

function toMillis(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return typeof v === 'number' ? v : undefined;
}

/** Where an operand reads from: the customer (fields, traits) or one event (properties). */
export interface Scope {
  readonly state: CustomerState;
  readonly catalog: Catalog;
  readonly now: number;
  readonly properties?: unknown;
}

/** The operand's value compared as `type` (the literal's type; for fields, the field's own type). */
export function operandValue(o: Operand, type: LiteralType, scope: Scope): Comparable {
  switch (o.kind) {
    case 'field': {
      const def = scope.catalog.get(o.name);
      if (!def) throw new Error(`unknown field ${o.name}`);
      return fieldValue(def, scope.state, scope.now);
    }
    case 'trait':
      return jsonAs(jsonAt(scope.state.traits, o.path), type);
    case 'property':
      return jsonAs(jsonAt(scope.properties, o.path), type);
  }
}

/** Whether the operand has a value at all (`exists`); JSON null counts as missing. */
export function operandPresent(o: Operand, scope: Scope): boolean {
  switch (o.kind) {
    case 'field':
      return operandValue(o, 'number', scope) !== undefined;
    case 'trait': {
      const v = jsonAt(scope.state.traits, o.path);
      return v !== undefined && v !== null;
    }
    case 'property': {
      const v = jsonAt(scope.properties, o.path);
      return v !== undefined && v !== null;
    }
  }
}

/** A literal's value at clock `now`: relative dates are as_of shifted. */
export function literalValue(v: Literal, now: number): Comparable {
  if (typeof v !== 'object') return v;
  if (isRelativeLiteral(v)) return shift(now, v.relative);
  return Date.parse(v.date);
}

export { literalType };

/** Strings order by code point, as SQL's binary collation orders UTF-8 bytes. */
export function compareValues(a: number | string | boolean, b: number | string | boolean): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const ia = a[Symbol.iterator]();
    const ib = b[Symbol.iterator]();
    for (;;) {
      const x = ia.next();
      const y = ib.next();
      if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
      const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
      if (d !== 0) return d;
    }
  }
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (a === b) return 0;
  return Number(a) - Number(b);
}

/** a op b in three-valued logic: undefined when either side is missing. */
export function compareWith(a: Comparable, op: CompareOp, b: Comparable): boolean | undefined {
  if (a === undefined || b === undefined) return undefined;
  const c = compareValues(a, b);
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}
