import type { Queryable } from '../../db.js';
import { existingTables } from './state.js';

/**
 * A fingerprint per kind of data the real-time engine reads, to tell what a command changed: a count
 * and a sum of row hashes (any changed row changes it, except with negligible probability). Events
 * that live ingestion stored (source 'http') are left out: the engine applied those as they came.
 */
export async function dataFingerprints(db: Queryable, tables: ReadonlyMap<string, readonly string[]>): Promise<Record<string, string>> {
  const known = await existingTables(db);
  const parts = [
    `(SELECT count(*) || ':' || coalesce(sum(hash(webhook_id, segment_id, on_entered, on_exited)), 0) FROM webhooks) AS "webhooks"`,
    `(SELECT count(*) || ':' || coalesce(sum(hash(segment_id, name, definition::VARCHAR)), 0) FROM segments) AS "segments"`,
    `(SELECT count(*) || ':' || coalesce(sum(hash(customer_id, traits::VARCHAR, merged_into)), 0) FROM customers) AS "customers"`,
    `(SELECT count(*) || ':' || coalesce(sum(hash(customer_id, channel, status)), 0) FROM consent) AS "consent"`,
    `(SELECT count(*) || ':' || coalesce(sum(hash(message_id, customer_id, timestamp)), 0) FROM events WHERE source <> 'http') AS "events"`,
  ];
  // Table and column names come from the segment catalog (plain identifiers only).
  for (const [table, columns] of tables) {
    if (!known.has(table)) continue;
    const cols = ['customer_id', ...columns].map((c) => `"${c}"`).join(', ');
    parts.push(`(SELECT count(*) || ':' || coalesce(sum(hash(${cols})), 0) FROM "${table}") AS "table:${table}"`);
  }
  return (await db.one<Record<string, string>>(`SELECT ${parts.join(',\n')}`))!;
}
