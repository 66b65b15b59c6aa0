import type { AppendColumn, ColumnQueryable, Queryable } from '../db.js';
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
}

/** Which of these values are known user ids (an alias's previousId may be one). */
export async function knownUserIds(db: Queryable, values: readonly string[]): Promise<Set<string>> {
  if (values.length === 0) return new Set();
  const list = textColumn(1, values);
  const rows = await db.all<{ value: string }>(`SELECT value FROM identities WHERE kind = 'user_id' AND value IN (SELECT ${list.sql})`, [list.param]);
  return new Set(rows.map((r) => r.value));
}
