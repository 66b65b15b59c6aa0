import { assertNever, type Condition } from './condition.js';

/**
 * The conditions directly inside a condition: the parts of and/or/not, and the where clauses of
 * behaviour conditions (a sequence has two). Leaves have none. Walks of the whole tree use it, so a new
 * node kind is taught to them in one place.
 */
export function childConditions(c: Condition): readonly Condition[] {
  switch (c.kind) {
    case 'and':
    case 'or':
      return c.conditions;
    case 'not':
      return [c.condition];
    case 'performed':
    case 'first_performed':
    case 'aggregate':
      return c.where ? [c.where] : [];
    case 'sequence':
      return [c.first.where, c.then.where].filter((w): w is Condition => w !== undefined);
    case 'compare':
    case 'between':
    case 'in':
    case 'text':
    case 'presence':
    case 'consent':
    case 'in_segment':
      return [];
    default:
      return assertNever(c);
  }
}
