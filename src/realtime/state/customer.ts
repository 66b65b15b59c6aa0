import type { CustomerState } from '../../segments/evaluator/state.js';
import { cloneStream, type StreamState } from './stream-state.js';

/**
 * Everything the engine holds about one customer: the profile the definitions read, a state per event
 * stream (by stream slot), and per live segment (by plan slot) since when the customer is a member
 * (NaN: not a member) and the next instant to look again with no new data (Infinity: never).
 */
export interface CustomerRecord {
  readonly id: string;
  profile: CustomerState;
  streams: (StreamState | undefined)[];
  since: Float64Array;
  due: Float64Array;
}

export function newRecord(id: string, profile: CustomerState, planSlots: number): CustomerRecord {
  return { id, profile, streams: [], since: new Float64Array(planSlots).fill(NaN), due: new Float64Array(planSlots).fill(Infinity) };
}

/**
 * A copy a step can change while the committed record stays as it is (the step may still roll back).
 * Stream states are copied when the step first changes them (see Stage.stream).
 */
export function cloneRecord(r: CustomerRecord, planSlots: number): CustomerRecord {
  const since = new Float64Array(Math.max(planSlots, r.since.length)).fill(NaN);
  since.set(r.since);
  const due = new Float64Array(Math.max(planSlots, r.due.length)).fill(Infinity);
  due.set(r.due);
  return { id: r.id, profile: r.profile, streams: [...r.streams], since, due };
}

export { cloneStream };

/** Makes room in a (staged) record for plan slots given out after it was made. */
export function fitSlots(r: CustomerRecord, planSlots: number): void {
  if (r.since.length >= planSlots) return;
  const since = new Float64Array(planSlots).fill(NaN);
  since.set(r.since);
  const due = new Float64Array(planSlots).fill(Infinity);
  due.set(r.due);
  r.since = since;
  r.due = due;
}

/** The earliest instant any segment of the record must be looked at again. */
export function earliestDue(r: CustomerRecord): number {
  let min = Infinity;
  for (const d of r.due) if (d < min) min = d;
  return min;
}

export function isMember(r: CustomerRecord, slot: number): boolean {
  return slot < r.since.length && !Number.isNaN(r.since[slot]!);
}
