import type { Condition } from './condition.js';

/** All of the conditions hold. Always at least two; a chain `a and b and c` is one node. */
export interface AndNode {
  readonly kind: 'and';
  readonly conditions: readonly Condition[];
}

/** At least one of the conditions holds. */
export interface OrNode {
  readonly kind: 'or';
  readonly conditions: readonly Condition[];
}

/** Negation in three-valued logic: not(unknown) is unknown, so a missing value stays unmatched. */
export interface NotNode {
  readonly kind: 'not';
  readonly condition: Condition;
}
