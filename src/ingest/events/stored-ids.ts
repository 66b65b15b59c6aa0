import type { Queryable } from '../../store/db.js';
import { eventWriteCount } from '../../store/queries/event-writes.js';
import { forEachStoredMessageId, storedMessageIds } from '../../store/queries/events.js';
import { BloomFilter } from './bloom-filter.js';

/** Ids the filter is sized for at least (BloomFilter's capacity). */
const MIN_CAPACITY = 1 << 20;

/**
 * Which message ids are already stored, answered mostly from memory: a Bloom filter (bloom-filter.ts)
 * holding every stored id proves that an id is new without a statement, and only the ids it cannot clear
 * (repeats, and at most 0.06 % of new ids) are looked up in the events table's index. A live commit's dedupe
 * then costs microseconds per id instead of a lookup that grows with the table.
 *
 * Exact by construction: the filter holds a superset of the stored ids (a false "possibly stored" only
 * costs a lookup), kept as follows, like the identity map (src/ingest/identity/identity-map.ts).
 * `current` reads every stored id when the filter was never read, or when the process's count of event
 * writes (store/queries/event-writes.ts: live inserts, imports, demo loads) moved since; its holder adds
 * the ids it writes itself (`added`, which takes the count as its own). Ids added by a transaction that
 * later fails stay in the filter, which is harmless (a superset). Should a write escape the count (raw
 * SQL outside segmint's code), the insert of an id wrongly taken as new fails on the primary key and so
 * fails its transaction, nothing half written; the holder must then call `invalidate` (GroupCommitter
 * does, and retries), so that the next `current` reads the table again.
 *
 * Memory: sized for twice the events stored when read (a million at least), 4 to 8 bytes per stored event
 * (BloomFilter): 2 MB for a young shop, 8 MB at 2,000,000 events.
 */
export class StoredMessageIds {
  private filter = new BloomFilter(MIN_CAPACITY);
  /** eventWriteCount() the filter reflects; -1: never read, or invalidated */
  private seen = -1;
  private reads = 0;

  /** Reads every stored id again when the filter is not known to hold them all (see the class comment). */
  async current(db: Queryable): Promise<void> {
    const count = eventWriteCount();
    if (this.seen === count) return;
    let filter = new BloomFilter(0);
    await forEachStoredMessageId(
      db,
      // Room for the table to double before the filter grows a second table; and room for a million at
      // least (2 MB), so that a young shop's filter stays nearly empty and clears every new id.
      (n) => (filter = new BloomFilter(Math.max(MIN_CAPACITY, 2 * n))),
      (id) => filter.add(id),
    );
    this.filter = filter;
    this.seen = count;
    this.reads++;
  }

  /**
   * The given ids that are stored, exactly (as storedMessageIds): ids the filter clears are new, the
   * others are looked up. Reads the table first when needed (`current`).
   */
  async stored(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
    await this.current(db);
    const maybe: string[] = [];
    for (const id of ids) if (this.filter.mayHold(id)) maybe.push(id);
    this.lookups += maybe.length;
    return maybe.length === 0 ? new Set() : storedMessageIds(db, maybe);
  }

  /**
   * Records ids the holder has just written to events with one insertEvents call (after it, in the same
   * transaction as the `current` or `stored` before it) and takes that call's count as its own. Should
   * the count have moved by more than that one write, some other write came in between and the filter
   * reads the table again at the next `current`.
   */
  added(ids: readonly string[]): void {
    if (ids.length === 0) return;
    for (const id of ids) this.filter.add(id);
    const now = eventWriteCount();
    if (this.seen !== -1 && now === this.seen + 1) this.seen = now;
  }

  /** Forgets what the filter holds: the next `current` reads the table again. */
  invalidate(): void {
    this.seen = -1;
  }

  /** How many times every stored id was read (for tests and the bench). */
  get tableReads(): number {
    return this.reads;
  }

  /** Ids sent to the exact lookup so far (for tests and the bench). */
  lookups = 0;

  /** Bytes the filter holds. */
  get bytes(): number {
    return this.filter.bytes;
  }
}
