import {
  assertNever,
  literalType,
  type Condition,
  type Diagnostic,
  type Literal,
  type Operand,
  type Span,
  type Window,
} from '../ast/index.js';
import { defaultCatalog, type Catalog } from './catalog.js';
import type { FieldType } from './field.js';

export interface CheckOptions {
  catalog?: Catalog;
  /** Where a node came from in the text, when it was parsed; diagnostics then carry line and column. */
  spanOf?: (node: Condition) => Span | undefined;
}

const fixedUnits = new Set(['s', 'min', 'h', 'd', 'w']);

/**
 * Checks a definition against the catalog and the rules the schema cannot express: fields exist,
 * values have the field's type, event properties appear only in `where`, relative dates only outside
 * it, a sequence gap has a fixed length. Returns diagnostics (no throw); no diagnostic means valid.
 */
export function checkSegment(ast: Condition, opts: CheckOptions = {}): Diagnostic[] {
  const catalog = opts.catalog ?? defaultCatalog;
  const out: Diagnostic[] = [];
  const report = (node: Condition, message: string, hint?: string): void => {
    const span = opts.spanOf?.(node) ?? { line: 0, column: 0 };
    out.push({ severity: 'error', message, ...span, ...(hint ? { hint } : {}) });
  };

  const checkOperand = (node: Condition, o: Operand, inWhere: boolean): FieldType | 'json' | undefined => {
    if (o.kind === 'property') {
      if (!inWhere) report(node, `event property ${o.path.join('.')} used outside a where clause`, 'property filters go after where');
      return 'json';
    }
    if (inWhere) {
      report(node, 'a where clause compares event properties only', 'move customer fields and traits outside the behaviour condition');
      return undefined;
    }
    if (o.kind === 'trait') return 'json';
    const def = catalog.get(o.name);
    if (!def) {
      report(node, `unknown field \`${o.name}\``, `known fields: ${catalog.fields().map((f) => f.name).join(', ')}`);
      return undefined;
    }
    return def.type;
  };

  const checkLiteral = (node: Condition, type: FieldType | 'json' | undefined, v: Literal, inWhere: boolean, ordered: boolean): void => {
    const lt = literalType(v);
    if (inWhere && typeof v === 'object' && 'relative' in v) {
      report(node, 'relative dates are not allowed in a where clause', 'use an absolute date, or a time window: within 7d');
    }
    if (ordered && lt === 'boolean') report(node, 'true and false have no order', 'compare booleans with = or !=');
    if (type === undefined || type === 'json') return;
    if (type !== lt) {
      const example = type === 'timestamp' ? 'a date (2024-01-31) or a relative date (-90d)' : `a ${type}`;
      report(node, `${target(node)} is a ${type}, compared with ${describeLiteral(v)}`, `compare it with ${example}`);
    }
  };

  const checkWindow = (node: Condition, w: Window | undefined): void => {
    if (w?.kind === 'ago') {
      const same = w.from.unit === w.to.unit;
      if (same && w.from.amount >= w.to.amount) report(node, 'between D1 and D2 ago needs D1 shorter than D2', 'e.g. between 7d and 14d ago');
    }
  };

  const walk = (c: Condition, inWhere: boolean): void => {
    switch (c.kind) {
      case 'and':
      case 'or':
        c.conditions.forEach((x) => walk(x, inWhere));
        return;
      case 'not':
        walk(c.condition, inWhere);
        return;
      case 'compare': {
        const t = checkOperand(c, c.target, inWhere);
        checkLiteral(c, t, c.value, inWhere, c.op !== '=' && c.op !== '!=');
        return;
      }
      case 'between': {
        const t = checkOperand(c, c.target, inWhere);
        checkLiteral(c, t, c.low, inWhere, true);
        checkLiteral(c, t, c.high, inWhere, true);
        if (literalType(c.low) !== literalType(c.high)) report(c, 'the two ends of between must have the same type');
        return;
      }
      case 'in': {
        const t = checkOperand(c, c.target, inWhere);
        for (const v of c.values) checkLiteral(c, t, v, inWhere, false);
        return;
      }
      case 'text': {
        const t = checkOperand(c, c.target, inWhere);
        if (t !== undefined && t !== 'json' && t !== 'string') report(c, `${c.op} works on text; ${target(c)} is a ${t}`);
        return;
      }
      case 'presence':
        checkOperand(c, c.target, inWhere);
        return;
      case 'performed':
      case 'first_performed':
      case 'aggregate':
        if (inWhere) report(c, 'behaviour conditions cannot be nested in a where clause');
        if (c.where) walk(c.where, true);
        checkWindow(c, c.window);
        if (c.kind === 'aggregate' && (c.fn === 'count') !== (c.property === undefined)) {
          report(c, c.fn === 'count' ? 'count takes no property' : `${c.fn} needs a property: ${c.fn} of revenue in "Event"`);
        }
        return;
      case 'sequence':
        if (inWhere) report(c, 'behaviour conditions cannot be nested in a where clause');
        if (c.first.where) walk(c.first.where, true);
        if (c.then.where) walk(c.then.where, true);
        checkWindow(c, c.window);
        if (!fixedUnits.has(c.gap.unit)) report(c, 'the time limit of a sequence must be in s, min, h, d or w', 'months have no fixed length');
        return;
      case 'consent':
      case 'in_segment':
        if (inWhere) report(c, `${c.kind === 'consent' ? 'consent' : 'in segment'} cannot be used in a where clause`);
        return;
      default:
        assertNever(c);
    }
  };
  walk(ast, false);
  return out;
}

function target(c: Condition): string {
  if ('target' in c) {
    const o = c.target;
    return o.kind === 'field' ? o.name : o.kind === 'trait' ? `traits.${o.path.join('.')}` : o.path.join('.');
  }
  return c.kind;
}

function describeLiteral(v: Literal): string {
  const t = literalType(v);
  return t === 'string' ? `the text ${JSON.stringify(v)}` : t === 'timestamp' ? 'a date' : `a ${t}`;
}
