import type { Queryable } from '../db.js';
import { packRows, textColumn } from './identity-columns.js';

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

/** The given message ids that are already stored. */
export async function storedMessageIds(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const list = textColumn(1, ids);
  const rows = await db.all<{ message_id: string }>(`SELECT message_id FROM events WHERE message_id IN (SELECT ${list.sql})`, [list.param]);
  return new Set(rows.map((r) => r.message_id));
}

/** Inserts events; a message id already stored is skipped (it is the primary key: dedupe forever). */
export async function insertEvents(db: Queryable, rows: readonly EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
  const q = packRows([
    { name: 'message_id', type: 'text', values: rows.map((r) => r.messageId) },
    { name: 'type', type: 'text', values: rows.map((r) => r.type) },
    { name: 'event', type: 'text', values: rows.map((r) => r.event) },
    { name: 'customer_id', type: 'text', values: rows.map((r) => r.customerId) },
    { name: 'user_id', type: 'text', values: rows.map((r) => r.userId) },
    { name: 'anonymous_id', type: 'text', values: rows.map((r) => r.anonymousId) },
    { name: 'ts', type: 'time', values: rows.map((r) => r.timestamp) },
    { name: 'received_at', type: 'time', values: rows.map((r) => r.receivedAt) },
    { name: 'properties', type: 'json', values: rows.map((r) => json(r.properties)) },
    { name: 'traits', type: 'json', values: rows.map((r) => json(r.traits)) },
    { name: 'context', type: 'json', values: rows.map((r) => json(r.context)) },
    { name: 'source', type: 'text', values: rows.map((r) => r.source) },
  ]);
  await db.run(
    `INSERT INTO events (message_id, type, event, customer_id, user_id, anonymous_id, timestamp, received_at, properties, traits, context, source)
     SELECT message_id, type, event, customer_id, user_id, anonymous_id, ts, received_at, properties, traits, context, source
     FROM (${q.select})
     ON CONFLICT (message_id) DO NOTHING`,
    q.params,
  );
}

/** Which of these values are known user ids (an alias's previousId may be one). */
export async function knownUserIds(db: Queryable, values: readonly string[]): Promise<Set<string>> {
  if (values.length === 0) return new Set();
  const list = textColumn(1, values);
  const rows = await db.all<{ value: string }>(`SELECT value FROM identities WHERE kind = 'user_id' AND value IN (SELECT ${list.sql})`, [list.param]);
  return new Set(rows.map((r) => r.value));
}
