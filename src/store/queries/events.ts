import type { AppendColumn, ColumnQueryable, Queryable } from '../db.js';
import { noteEventWrite } from './event-writes.js';
import { keyLookup, textColumn, type LookupPlan } from './identity-columns.js';

export interface EventRow {
  messageId: string;
  type: string;
  event?: string;
  customerId: string | null;
  userId?: string;
  anonymousId?: string;
  timestamp: Date;
  receivedAt: Date;
  properties?: unknown;
  traits?: unknown;
  context?: unknown;
  source: string;
}

/**
 * The given message ids that are already stored. A batch's ids are looked up in the primary-key index
 * (keyLookup), so the dedupe of a live commit costs in proportion to the batch, not to the events
 * table; a list too long for that (a fresh file, an import-sized batch) is answered by one scan.
 * `plan` forces one plan (tests).
 */
export async function storedMessageIds(db: Queryable, ids: readonly string[], plan?: LookupPlan): Promise<Set<string>> {
  const rows = await keyLookup<{ message_id: string }>(db, 'events', ids, (list) => `SELECT message_id FROM events WHERE message_id IN (${list})`, plan);
  return new Set(rows.map((r) => r.message_id));
}

/**
 * Appends events through DuckDB's appender: the rows go into the table column by column, with no SQL
 * text to build or parse (at 16,000 events a commit this was the largest cost of live ingestion).
 * The message id is the primary key (dedupe forever): every id given must be new, which the caller checks
 * in the same transaction with storedMessageIds; a repeat is a bug and fails the transaction (the
 * constraint error), so nothing is half written. properties, traits and context are stored as the JSON
 * text of the value, exactly what a cast of that text to JSON stores (DuckDB keeps the text as given).
 * Counts as an event write (event-writes.ts).
 */
export async function insertEvents(db: ColumnQueryable, rows: readonly EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
  const text = (f: (r: EventRow) => string | null | undefined): AppendColumn => ({ type: 'VARCHAR', values: rows.map((r) => f(r) ?? null) });
  const time = (f: (r: EventRow) => Date): AppendColumn => ({ type: 'TIMESTAMP', values: Float64Array.from(rows, (r) => f(r).getTime()) });
  // In the table's column order (migration 001).
  await db.append('events', [
    text((r) => r.messageId),
    text((r) => r.type),
    text((r) => r.event),
    text((r) => r.customerId),
    text((r) => r.userId),
    text((r) => r.anonymousId),
    time((r) => r.timestamp),
    time((r) => r.receivedAt),
    text((r) => json(r.properties)),
    text((r) => json(r.traits)),
    text((r) => json(r.context)),
    text((r) => r.source),
  ]);
  noteEventWrite();
}

/** Rows per statement when every message id is read (a slice of rowids): bounds the text each one makes. */
const ID_SLICE = 500_000;
const SEP = '\u001e';

/**
 * Calls `rows` with the number of stored events, then fn with the message id of each (in no particular
 * order): what the in-memory filter
 * of stored ids (src/ingest/events/stored-ids.ts) is built from. Run it inside a transaction, so that the
 * slices see one snapshot. Ids travel joined by the record separator, one text per slice of rowids (as
 * identity-map.ts reads identities: a row object per id took far longer); the rare id containing the
 * separator is read as a row of its own.
 */
export async function forEachStoredMessageId(db: Queryable, rows: (n: number) => void, fn: (id: string) => void): Promise<void> {
  const top = await db.one<{ n: bigint | number; hi: bigint | number | null }>('SELECT count(*) AS n, max(rowid) AS hi FROM events');
  rows(Number(top?.n ?? 0));
  const hi = top?.hi === null || top?.hi === undefined ? -1 : Number(top.hi);
  for (let lo = 0; lo <= hi; lo += ID_SLICE) {
    const r = await db.one<{ s: string | null }>(
      'SELECT string_agg(message_id, chr(30)) AS s FROM events WHERE rowid >= $1 AND rowid < $2 AND NOT contains(message_id, chr(30))',
      [lo, lo + ID_SLICE],
    );
    // An empty id is a valid element (string_agg of one '' is ''); NULL means no row.
    if (r?.s !== null && r?.s !== undefined) for (const id of r.s.split(SEP)) fn(id);
  }
  const odd = await db.all<{ message_id: string }>('SELECT message_id FROM events WHERE contains(message_id, chr(30))');
  for (const r of odd) fn(r.message_id);
}

/** Which of these values are known user ids (an alias's previousId may be one). */
export async function knownUserIds(db: Queryable, values: readonly string[]): Promise<Set<string>> {
  if (values.length === 0) return new Set();
  const list = textColumn(1, values);
  const rows = await db.all<{ value: string }>(`SELECT value FROM identities WHERE kind = 'user_id' AND value IN (SELECT ${list.sql})`, [list.param]);
  return new Set(rows.map((r) => r.value));
}
