import type { CompareOp, Literal, Operand } from './values.js';

/** `total_spent > 100`, `traits.plan = "pro"`, `last_order_at < -90d`. Missing values never match. */
export interface CompareNode {
  readonly kind: 'compare';
  readonly target: Operand;
  readonly op: CompareOp;
  readonly value: Literal;
}

/** `orders_count between 2 and 5`: both ends included. */
export interface BetweenNode {
  readonly kind: 'between';
  readonly target: Operand;
  readonly low: Literal;
  readonly high: Literal;
}

/** `country in ("DE", "AT")`; negated is `not in`, which a missing value does not match either. */
export interface InListNode {
  readonly kind: 'in';
  readonly target: Operand;
  readonly values: readonly Literal[];
  readonly negated: boolean;
}

/** `traits.email contains "@gmail."`, `top_category starts_with "Dress"`; case-sensitive. */
export interface TextMatchNode {
  readonly kind: 'text';
  readonly target: Operand;
  readonly op: 'contains' | 'starts_with';
  readonly value: string;
}

/** `traits.phone exists` (present) / `traits.phone is missing`; never unknown. */
export interface PresenceNode {
  readonly kind: 'presence';
  readonly target: Operand;
  readonly present: boolean;
}
