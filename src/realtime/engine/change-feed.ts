import type { Transition } from './stage.js';

/** What workflows and other in-process listeners receive for every membership change. */
export interface MembershipChange {
  readonly segmentId: string;
  readonly segment: string;
  readonly customerId: string;
  readonly change: 'entered' | 'exited';
  /** the instant the change came true */
  readonly at: Date;
}

/** A change as recorded, with its position in segment_history (the change stream's cursor). */
export interface RecordedChange extends MembershipChange {
  readonly seq: number;
  readonly recordedAt: Date;
}

/**
 * Who hears of the engine's recorded membership changes, in process: listeners (onMembershipChange: the
 * workflows) and subscribers (subscribe: the change stream, with each change's seq). A step publishes
 * only after its transaction committed; listeners are called in a microtask, in the order recorded, and
 * one that throws is logged and never affects the engine or the others.
 */
export class ChangeFeed {
  private readonly listeners = new Set<(c: MembershipChange) => void>();
  private readonly subscribers = new Set<(c: RecordedChange) => void>();

  constructor(private readonly onError: (e: unknown) => void) {}

  /** Calls fn (asynchronously, in order) for every membership change once recorded; returns its removal. */
  onMembershipChange(fn: (change: MembershipChange) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  /** Like onMembershipChange, with the change's seq (the cursor of the change stream). */
  subscribe(fn: (change: RecordedChange) => void): () => void {
    this.subscribers.add(fn);
    return () => void this.subscribers.delete(fn);
  }

  /** The changes one step recorded (`seqs[i]` numbers `changes[i]`), at `recordedAt`, to everyone listening. */
  publish(changes: readonly Transition[], seqs: readonly number[], recordedAt: Date): void {
    if (changes.length === 0 || (this.listeners.size === 0 && this.subscribers.size === 0)) return;
    const recorded = changes.map((t, i): RecordedChange => ({
      segmentId: t.entry.plan.segmentId,
      segment: t.entry.plan.name,
      customerId: t.customerId,
      change: t.change,
      at: new Date(t.at),
      seq: seqs[i]!,
      recordedAt,
    }));
    queueMicrotask(() => {
      for (const c of recorded) {
        const plain: MembershipChange = { segmentId: c.segmentId, segment: c.segment, customerId: c.customerId, change: c.change, at: c.at };
        for (const fn of this.listeners) this.guard(() => fn(plain));
        for (const fn of this.subscribers) this.guard(() => fn(c));
      }
    });
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.onError(e);
    }
  }
}
