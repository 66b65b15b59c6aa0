import type { ConditionKind } from '../ast/index.js';

/** A stored column value as the store hands it back (DECIMAL and BIGINT as numbers, TIMESTAMP as Date). */
export type Scalar = number | string | boolean | Date | null;

/** One tracked event of the customer. properties is the parsed JSON (or undefined when there is none). */
export interface CustomerEvent {
  readonly event: string;
  readonly timestamp: Date;
  readonly properties?: unknown;
}

/**
 * Everything the in-memory evaluator needs about one customer: the same data the SQL reads, shaped
 * per customer. rows holds the customer's row of each table catalog fields live in (customer_metrics,
 * customer_rfm, ...), keyed by table; a missing row means the customer has none.
 */
export interface CustomerState {
  readonly customerId: string;
  readonly traits: Readonly<Record<string, unknown>>;
  readonly rows: Readonly<Record<string, Readonly<Record<string, Scalar>> | undefined>>;
  /** channel → status (granted | denied); a channel without a row is missing. */
  readonly consent: Readonly<Record<string, string>>;
  readonly events: readonly CustomerEvent[];
  /**
   * Names of segments the customer is known to be in; used by `in segment` only when no resolveSegment
   * callback gives the segment's definition.
   */
  readonly segments?: readonly string[];
}

/** Builds a state from the parts a caller has; metrics goes to rows.customer_metrics. */
export function customerState(parts: {
  customerId: string;
  traits?: Record<string, unknown>;
  metrics?: Record<string, Scalar>;
  rows?: Record<string, Record<string, Scalar> | undefined>;
  consent?: Record<string, string>;
  events?: readonly CustomerEvent[];
  segments?: readonly string[];
}): CustomerState {
  return {
    customerId: parts.customerId,
    traits: parts.traits ?? {},
    rows: { ...(parts.metrics ? { customer_metrics: parts.metrics } : {}), ...parts.rows },
    consent: parts.consent ?? {},
    events: parts.events ?? [],
    ...(parts.segments ? { segments: parts.segments } : {}),
  };
}

export type Truth = 'true' | 'false' | 'unknown';

/** Why a condition held or not: the condition as text, its truth, the values seen, and its parts. */
export interface ExplanationNode {
  readonly kind: ConditionKind;
  readonly condition: string;
  readonly result: Truth;
  readonly detail: string;
  readonly children?: readonly ExplanationNode[];
}

export interface EvaluationResult {
  readonly member: boolean;
  readonly explanation: ExplanationNode;
  /** The first instant after as_of at which member flips if no new data arrives, or null. */
  readonly changesAt: Date | null;
}
