import type { Param } from '../../../db.js';

/**
 * Where an experiment's assignments come from, as SQL: a relation with the columns
 * (customer_id VARCHAR, group_name VARCHAR, assigned_at TIMESTAMP), one row per customer (the first
 * time the customer was assigned), its own placeholders numbered $1..$n with `params` in that order.
 * Analysis wraps it and numbers its own placeholders after these. This is the whole seam between
 * measurement and whatever splits customers: a one-off campaign (campaign.ts) or, when workflows
 * record their splits and holdouts, a workflow step (see docs/experiments.md, "Assignment sources").
 */
export interface AssignmentRelation {
  readonly sql: string;
  readonly params: readonly Param[];
}

/** `$k` for the i-th (1-based) placeholder of a query whose first `offset` placeholders belong to a wrapped relation. */
export function placeholder(offset: number, i: number): string {
  return `$${offset + i}`;
}
