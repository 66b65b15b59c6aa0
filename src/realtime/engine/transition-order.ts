import type { Transition } from './stage.js';

/** Changes in the order they came true; at one instant by segment, then customer. */
export function orderChanges(ts: readonly Transition[]): Transition[] {
  return [...ts].sort(
    (a, b) => a.at - b.at || cmp(a.entry.plan.name, b.entry.plan.name) || cmp(a.customerId, b.customerId),
  );
}

/** Plain code-unit order of two texts: the same in every locale (no localeCompare). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A transition as segment_history stores it (writeMembership's rows). */
export function asRow(t: Transition): { segmentId: string; customerId: string; change: 'entered' | 'exited'; at: number } {
  return { segmentId: t.entry.plan.segmentId, customerId: t.customerId, change: t.change, at: t.at };
}
