import type { Store, Transaction } from '../../db.js';

/**
 * How many numbers one reservation takes at least: one UPDATE of segment_history_next (about 2.5 ms
 * with its share of the COMMIT) serves about 50 commits of the real-time bench. Numbers left in a
 * block when the process stops are skipped, so cursors jump by at most this much at a restart.
 */
export const HISTORY_BLOCK = 65_536;

/**
 * The numbers (seq, the change stream's cursor) of segment_history's rows, for every writer of one
 * open database: the real-time engine's steps and `segments refresh` (migration 27). One allocator per
 * Store (historyNumbers), and a Store is the only writer of its file (one process per database), so
 * numbers are handed out in the order transactions run, which is the order they commit: a client
 * that has read up to a cursor never sees a later row with a smaller number.
 *
 * Numbers come from blocks reserved in the table segment_history_next, inside the transaction that
 * first uses the block: the block is durable exactly when rows numbered from it can be, so a number
 * is never handed out twice, also after kill -9. A block reserved by a transaction that rolls back
 * is forgotten (its reservation rolled back with it); numbers taken from a block but not stored
 * (a rolled-back step, the rest of a block when the process stops) are skipped: numbers increase and
 * never repeat, but need not be consecutive.
 */
export class HistoryNumbers {
  /** the committed block: numbers from `next` up to `end` (exclusive) are free */
  private committed: Block = { next: 0, end: 0 };
  /** a block reserved by a transaction not yet committed: its numbers serve that transaction only */
  private pending: (Block & { readonly tx: Transaction }) | undefined;

  /**
   * Takes `count` consecutive numbers for rows written in `tx`; returns the first. `tx` must be the
   * object the transaction's statements run on (a block reserved in it is known by that object until
   * its afterCommit runs). Throws when segment_history_next has no row (a database not migrated).
   */
  async take(tx: Transaction, count: number): Promise<number> {
    if (!(Number.isSafeInteger(count) && count >= 0)) throw new RangeError(`HistoryNumbers.take: not a count: ${count}`);
    if (this.pending && this.pending.tx !== tx) this.pending = undefined; // its transaction rolled back
    const block = this.pending ?? this.committed;
    if (block.end - block.next >= count) {
      const first = block.next;
      block.next += count;
      return first;
    }
    const size = Math.max(HISTORY_BLOCK, count);
    const row = await tx.one<{ next: number | bigint }>('UPDATE segment_history_next SET next = next + $1 WHERE id = 1 RETURNING next', [size]);
    if (!row) throw new Error('segment_history_next has no row: the database is not migrated (migration 27)');
    const end = Number(row.next);
    const first = end - size;
    const reserved = { tx, next: first + count, end };
    this.pending = reserved;
    tx.afterCommit(() => {
      if (this.pending !== reserved) return;
      this.pending = undefined;
      this.committed = { next: reserved.next, end: reserved.end };
    });
    return first;
  }
}

interface Block {
  next: number;
  end: number;
}

const perStore = new WeakMap<Store, HistoryNumbers>();

/**
 * The allocator of segment_history's numbers of one open database. `store` is the Store itself (the
 * same object for every writer in the process): two allocators on one database would each hand out
 * numbers from their own blocks, out of the order rows are recorded.
 */
export function historyNumbers(store: Store): HistoryNumbers {
  let numbers = perStore.get(store);
  if (!numbers) perStore.set(store, (numbers = new HistoryNumbers()));
  return numbers;
}
