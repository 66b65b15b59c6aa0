import { loadCatalogue, type SegmentCatalogue } from '../../segments/manage/catalogue.js';
import { customerState, evaluateSegment, loadCustomerState, type CustomerState } from '../../segments/index.js';
import type { Condition } from '../../segments/ast/index.js';
import type { Queryable } from '../../store/db.js';
import { existingTablesOnce, type TablesOf } from '../../store/queries/segment-state.js';
import type { SegmentCondition } from '../definition/types.js';

/**
 * Conditions in the segment language evaluated for one customer at one moment with the segment
 * engine's own in-memory evaluator (so a branch means exactly what the same text means in a segment).
 * Saved segments, and which tables exist, are read once per use of this object (one per batch).
 */
export class ConditionEvaluator {
  private segments: Promise<SegmentCatalogue> | undefined;
  private readonly stateOf: (customerId: string) => Promise<CustomerState>;

  /**
   * `opts.stateOf` gives a customer's state (the engine's BatchReads, which reads a batch's customers at
   * once); without it each is read with loadCustomerState, the tables read once (`opts.tables` or one
   * existingTablesOnce of this object).
   */
  constructor(
    private readonly db: Queryable,
    opts: { stateOf?: (customerId: string) => Promise<CustomerState>; tables?: TablesOf } = {},
  ) {
    const tables = opts.tables ?? existingTablesOnce(db);
    this.stateOf = opts.stateOf ?? ((id) => loadCustomerState(db, id, { tables }));
  }

  /** A branch condition over the customer's whole state at `at`. */
  async holds(customerId: string, c: SegmentCondition, at: Date): Promise<boolean> {
    return this.evaluate(await this.stateOf(customerId), c.ast, at);
  }

  /**
   * A goal: the customer's behaviour counts from the run's entry on (`performed "Order Completed"`
   * means since entering), profile fields and metrics as they are at `at`.
   */
  async goalReached(customerId: string, goal: SegmentCondition, enteredAt: Date, at: Date): Promise<boolean> {
    const state = await this.stateOf(customerId);
    const since = enteredAt.getTime();
    return this.evaluate({ ...state, events: state.events.filter((e) => e.timestamp.getTime() >= since) }, goal.ast, at);
  }

  private async evaluate(state: CustomerState, ast: Condition, at: Date): Promise<boolean> {
    this.segments ??= loadCatalogue(this.db);
    const catalogue = await this.segments;
    return evaluateSegment(ast, state, { asOf: at, resolveSegment: catalogue.resolve }).member;
  }
}

/** Whether one event passes a property filter (the `where` of a trigger or a wait). */
export function eventPasses(event: { name: string; timestamp: Date; properties: unknown }, where: SegmentCondition | undefined): boolean {
  if (!where) return true;
  const state = customerState({ customerId: '-', events: [{ event: event.name, timestamp: event.timestamp, properties: event.properties ?? undefined }] });
  return evaluateSegment({ kind: 'performed', event: event.name, where: where.ast }, state, { asOf: event.timestamp }).member;
}

/** The value at a dotted property path, as text (numbers and booleans written out), or undefined. */
export function propertyText(properties: unknown, path: string): string | undefined {
  let cur: unknown = properties;
  if (cur !== null && typeof cur === 'object' && !Array.isArray(cur) && path in (cur as object)) cur = (cur as Record<string, unknown>)[path];
  else {
    for (const part of path.split('.')) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
  }
  if (typeof cur === 'string') return cur === '' ? undefined : cur;
  if (typeof cur === 'number' || typeof cur === 'boolean' || typeof cur === 'bigint') return String(cur);
  return undefined;
}
