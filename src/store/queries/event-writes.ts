/**
 * A count, in this process, of the writes that add rows to the events table: live ingestion
 * (insertEvents), imports, demo loads. In-memory filters of the stored message ids (the live committer's
 * StoredMessageIds, src/ingest/events/stored-ids.ts) compare the count with the one they were made at and
 * read the ids again when it moved, exactly as the identity map does with identity-writes.ts. So every
 * code path that inserts events calls noteEventWrite, inside its transaction and after its statements,
 * and the filter that made the write itself takes the new count as its own.
 *
 * Deleting events (retention, erasure) need not be counted: a filter that still holds a deleted id only
 * sends that id to the exact lookup. Updating events' customers (merges) keeps their ids. One count for
 * the whole process, not per database: a write to another database only costs a needless re-read.
 */
let writes = 0;

/** Records that rows were added to events (see the module's comment for where to call it). */
export function noteEventWrite(): void {
  writes++;
}

/** The number of event writes so far in this process. */
export function eventWriteCount(): number {
  return writes;
}
