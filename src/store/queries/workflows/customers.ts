import type { Queryable } from '../../db.js';
import { packRows } from '../identity-columns.js';

/** A dotted property or trait path (`cart.id`) as a JSON path parameter (`$."cart"."id"`). */
export function jsonPath(dotted: string): string {
  return '$' + dotted.split('.').map((p) => `."${p.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join('');
}

export interface ContactRow {
  customer_id: string;
  /** traits.email, else an email identity; null when the customer has none */
  email: string | null;
  traits: string | null;
  /** the email consent status, or null when none is recorded */
  email_consent: string | null;
}

/** Who a message would go to: the customers that exist (erased or merged-away ones do not), their email and consent. */
export async function contactsOf(db: Queryable, customerIds: readonly string[]): Promise<Map<string, ContactRow>> {
  if (customerIds.length === 0) return new Map();
  const rows = await db.all<ContactRow>(
    `SELECT c.customer_id,
       coalesce(nullif(trim(json_extract_string(c.traits, '$.email')), ''),
                (SELECT min(i.value) FROM identities i WHERE i.customer_id = c.customer_id AND i.kind = 'email')) AS email,
       c.traits::VARCHAR AS traits,
       (SELECT k.status FROM consent k WHERE k.customer_id = c.customer_id AND k.channel = 'email') AS email_consent
     FROM customers c WHERE c.customer_id IN (SELECT unnest($1::VARCHAR[])) AND c.merged_into IS NULL`,
    [customerIds],
  );
  return new Map(rows.map((r) => [r.customer_id, r]));
}

export interface StoredEvent {
  message_id: string;
  event: string;
  customer_id: string | null;
  timestamp: Date;
  received_at: Date;
  properties: string | null;
}

const EVENT_COLUMNS = 'message_id, event, customer_id, timestamp, received_at, properties::VARCHAR AS properties';

/** These events as stored (with the customer identity resolution gave them). */
export async function eventsById(db: Queryable, messageIds: readonly string[]): Promise<StoredEvent[]> {
  if (messageIds.length === 0) return [];
  return db.all<StoredEvent>(`SELECT ${EVENT_COLUMNS} FROM events WHERE message_id IN (SELECT unnest($1::VARCHAR[]))`, [messageIds]);
}

/** Tracked events with one of these names received at or after `since`, oldest first. */
export async function eventsReceivedSince(db: Queryable, names: readonly string[], since: Date, limit: number): Promise<StoredEvent[]> {
  if (names.length === 0) return [];
  return db.all<StoredEvent>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE received_at >= $2 AND event IN (SELECT unnest($1::VARCHAR[])) AND customer_id IS NOT NULL
     ORDER BY received_at, message_id LIMIT $3`,
    [names, since, limit],
  );
}

/**
 * A customer's events of one name in [from, to], optionally only those whose property at keyPath equals
 * key, oldest first: the candidates a wait for an event matches against.
 */
export async function customerEventsBetween(
  db: Queryable,
  q: { customerId: string; event: string; from: Date; to: Date; keyPath?: string; key?: string },
): Promise<StoredEvent[]> {
  return db.all<StoredEvent>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE customer_id = $1 AND event = $2 AND timestamp >= $3 AND timestamp <= $4
       AND ($5::VARCHAR IS NULL OR json_extract_string(properties, $5) = $6)
     ORDER BY timestamp, message_id`,
    [q.customerId, q.event, q.from, q.to, q.keyPath === undefined ? null : jsonPath(q.keyPath), q.key ?? null],
  );
}

/** Merges trait values into customers' traits (a JSON merge patch per customer). */
export async function mergeTraits(db: Queryable, rows: readonly { customerId: string; patch: string }[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const q = packRows([
    { name: 'c', type: 'text', values: rows.map((r) => r.customerId) },
    { name: 'patch', type: 'text', values: rows.map((r) => r.patch) },
  ], 2);
  // One patch per customer: several for the same customer are merged in order first.
  await db.run(
    `UPDATE customers SET traits = json_merge_patch(coalesce(customers.traits, '{}'::JSON), p.patch::JSON), updated_at = $1
     FROM (${q.select}) p WHERE customers.customer_id = p.c`,
    [now, ...q.params],
  );
}

export async function addTags(db: Queryable, rows: readonly { customerId: string; name: string; source: string }[], now: Date): Promise<void> {
  await insertPairs(db, 'customer_tags', 'customer_id, tag', rows, now);
}

export async function removeTags(db: Queryable, rows: readonly { customerId: string; name: string }[]): Promise<void> {
  await deletePairs(db, 'DELETE FROM customer_tags USING (SEL) p WHERE customer_tags.customer_id = p.c AND customer_tags.tag = p.n', rows);
}

export async function addToLists(db: Queryable, rows: readonly { customerId: string; name: string; source: string }[], now: Date): Promise<void> {
  await insertPairs(db, 'static_list_members', 'customer_id, list_name', rows, now);
}

export async function removeFromLists(db: Queryable, rows: readonly { customerId: string; name: string }[]): Promise<void> {
  await deletePairs(db, 'DELETE FROM static_list_members USING (SEL) p WHERE static_list_members.customer_id = p.c AND static_list_members.list_name = p.n', rows);
}

async function insertPairs(
  db: Queryable,
  table: 'customer_tags' | 'static_list_members',
  columns: string,
  rows: readonly { customerId: string; name: string; source: string }[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  const q = packRows([
    { name: 'c', type: 'text', values: rows.map((r) => r.customerId) },
    { name: 'n', type: 'text', values: rows.map((r) => r.name) },
    { name: 's', type: 'text', values: rows.map((r) => r.source) },
  ], 2);
  const at = table === 'customer_tags' ? 'added_at' : 'added_at';
  await db.run(
    `INSERT INTO ${table} (${columns}, ${at}, source) SELECT c, n, $1, min(s) FROM (${q.select}) GROUP BY c, n ON CONFLICT DO NOTHING`,
    [now, ...q.params],
  );
}

async function deletePairs(db: Queryable, sql: string, rows: readonly { customerId: string; name: string }[]): Promise<void> {
  if (rows.length === 0) return;
  const q = packRows([
    { name: 'c', type: 'text', values: rows.map((r) => r.customerId) },
    { name: 'n', type: 'text', values: rows.map((r) => r.name) },
  ]);
  await db.run(sql.replace('SEL', q.select), q.params);
}

export async function tagsOf(db: Queryable, customerId: string): Promise<string[]> {
  return (await db.all<{ tag: string }>('SELECT tag FROM customer_tags WHERE customer_id = $1 ORDER BY tag', [customerId])).map((r) => r.tag);
}

export async function listsOf(db: Queryable, customerId: string): Promise<string[]> {
  return (await db.all<{ list_name: string }>('SELECT list_name FROM static_list_members WHERE customer_id = $1 ORDER BY list_name', [customerId])).map(
    (r) => r.list_name,
  );
}

/** The customer's latest event of this name, or undefined. */
export async function latestEventOf(db: Queryable, customerId: string, event: string): Promise<StoredEvent | undefined> {
  return db.one<StoredEvent>(`SELECT ${EVENT_COLUMNS} FROM events WHERE customer_id = $1 AND event = $2 ORDER BY timestamp DESC, message_id LIMIT 1`, [
    customerId,
    event,
  ]);
}
