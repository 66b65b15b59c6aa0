import type { MembershipChange } from '../../realtime/engine/engine.js';
import type { Store } from '../../store/db.js';
import { readCursor, writeCursor } from '../../store/queries/workflows/bookkeeping.js';
import { latestSegmentChange, segmentChangesAfter, type HistoryPosition } from '../../store/queries/workflows/triggers.js';

// A customer entering or leaving a segment: the shape the live segment engine publishes.
export type { MembershipChange };

/** Anything that pushes membership changes as they happen: the live segment engine. */
export interface MembershipSource {
  /** Calls fn for every change from now on; returns a function that stops it. */
  onMembershipChange(fn: (change: MembershipChange) => void): () => void;
}

/** A source the engine asks on every tick; it moves its cursor only once `handle` has dealt with a batch. */
export interface PolledMembershipSource {
  poll(now: Date, handle: (changes: readonly MembershipChange[]) => Promise<void>): Promise<void>;
}

const CURSOR = 'segment_history';

/**
 * Membership changes read from segment_history, which `segments refresh` (CLI or API) writes. Each poll
 * reports every row recorded after the stored cursor, a batch at a time, and moves the cursor after the
 * batch is handled: changes recorded while the server was down are reported at the next start, and a
 * crash mid-batch reports the batch again (the engine's trigger log makes that harmless). The first
 * poll ever starts after the rows already there: old history starts nothing.
 */
export class SegmentHistorySource implements PolledMembershipSource {
  constructor(
    private readonly store: Store,
    private readonly batch = 5_000,
  ) {}

  async poll(now: Date, handle: (changes: readonly MembershipChange[]) => Promise<void>): Promise<void> {
    const stored = await readCursor(this.store, CURSOR);
    let at: HistoryPosition;
    if (stored === undefined) {
      const latest = await latestSegmentChange(this.store);
      at = { recordedAt: latest ?? new Date(0), segmentId: '\uffff', customerId: '', change: '' };
      await writeCursor(this.store, CURSOR, JSON.stringify(at), now);
      return;
    }
    const parsed = JSON.parse(stored) as { recordedAt: string; segmentId: string; customerId: string; change: string };
    at = { ...parsed, recordedAt: new Date(parsed.recordedAt) };
    for (;;) {
      const rows = await segmentChangesAfter(this.store, at, this.batch);
      if (rows.length === 0) return;
      await handle(rows.map((r) => ({ segmentId: r.segment_id, segment: r.segment, customerId: r.customer_id, change: r.change, at: r.changed_at })));
      const last = rows[rows.length - 1]!;
      at = { recordedAt: last.recorded_at, segmentId: last.segment_id, customerId: last.customer_id, change: last.change };
      await writeCursor(this.store, CURSOR, JSON.stringify(at), now);
      if (rows.length < this.batch) return;
    }
  }
}
