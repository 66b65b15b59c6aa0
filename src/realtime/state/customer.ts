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
  since: number[];
  due: number[];
}

/*
 * since and due are plain arrays of doubles, not Float64Arrays: a step copies the record of every
 * customer it touches (cloneRecord), and a Float64Array of more than 8 slots keeps its numbers outside
 * the JavaScript heap, so each copy allocated two native buffers that only a full collection frees
 * (measured: the copies, the heap pushes and the collector were about a fifth of the engine's CPU per commit).
 */

/** n copies of x, as a packed array of doubles. */
function filled(n: number, x: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(x);
  return out;
}

/** a's values, then x up to n slots. */
function grown(a: readonly number[], n: number, x: number): number[] {
  const out = a.slice();
  for (let i = a.length; i < n; i++) out.push(x);
  return out;
}

export function newRecord(id: string, profile: CustomerState, planSlots: number): CustomerRecord {
  return { id, profile, streams: [], since: filled(planSlots, NaN), due: filled(planSlots, Infinity) };
}

/**
 * A copy a step can change while the committed record stays as it is (the step may still roll back).
 * Stream states are copied when the step first changes them (see Stage.stream).
 */
export function cloneRecord(r: CustomerRecord, planSlots: number): CustomerRecord {
  return { id: r.id, profile: r.profile, streams: r.streams.slice(), since: grown(r.since, planSlots, NaN), due: grown(r.due, planSlots, Infinity) };
}

export { cloneStream };

/** Makes room in a (staged) record for plan slots given out after it was made. */
export function fitSlots(r: CustomerRecord, planSlots: number): void {
  if (r.since.length >= planSlots) return;
  r.since = grown(r.since, planSlots, NaN);
  r.due = grown(r.due, planSlots, Infinity);
}

/** The earliest instant any segment of the record must be looked at again. */
export function earliestDue(r: CustomerRecord): number {
  // an indexed loop: for…of over the slots was a measurable part of Stage.commit
  const due = r.due;
  let min = Infinity;
  for (let i = 0; i < due.length; i++) if (due[i]! < min) min = due[i]!;
  return min;
}

export function isMember(r: CustomerRecord, slot: number): boolean {
  return slot < r.since.length && !Number.isNaN(r.since[slot]!);
}
