import type { Condition } from './condition.js';
import type { CompareOp, Duration, Window } from './values.js';

export type CountOp = 'at_least' | 'at_most' | 'exactly';

/**
 * `performed "Product Viewed" where category = "Dresses" at least 3 times within 7d`. Without a
 * count it means at least once; without a window, any time up to as_of. Never unknown.
 */
export interface PerformedNode {
  readonly kind: 'performed';
  readonly event: string;
  readonly where?: Condition;
  readonly count?: { readonly op: CountOp; readonly n: number };
  readonly window?: Window;
}

/** `first performed "Order Completed" within 30d`: the customer's first such event lies in the window. */
export interface FirstPerformedNode {
  readonly kind: 'first_performed';
  readonly event: string;
  readonly where?: Condition;
  readonly window: Window;
}

export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max';

/**
 * `sum of revenue in "Order Completed" within 90d > 500`, `count of "Order Completed" >= 3`.
 * property is absent exactly for count. Over no events count and sum are 0; avg, min and max are
 * missing (so the comparison is unknown). Only numeric property values take part.
 */
export interface AggregateNode {
  readonly kind: 'aggregate';
  readonly fn: AggregateFn;
  readonly property?: readonly string[];
  readonly event: string;
  readonly where?: Condition;
  readonly window?: Window;
  readonly op: CompareOp;
  readonly value: number;
}

/** One side of a sequence: an event name and an optional property filter. */
export interface EventPattern {
  readonly event: string;
  readonly where?: Condition;
}

/**
 * `performed "Checkout Started" then not "Order Completed" within 1h`. Negated: some first event at
 * time t (in window, if any) has no then-event in (t, t + gap], and t + gap <= as_of (the gap has fully
 * elapsed). Positive: some first event at t has a then-event in (t, t + gap]. gap is a fixed length.
 */
export interface SequenceNode {
  readonly kind: 'sequence';
  readonly first: EventPattern;
  readonly then: EventPattern;
  readonly negated: boolean;
  readonly gap: Duration;
  readonly window?: Window;
}

/** An aggregate compares with the same operators as fields do. */
export type AggregateCompareOp = CompareOp;
