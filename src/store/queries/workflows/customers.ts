import { emailIdentitiesSql, withCustomerEmail } from '../customer-emails.js';
import type { Queryable } from '../../db.js';
import { consentInForce } from '../privacy/consent.js';
import { packRows, preferPointLookup, type LookupPlan } from '../identity-columns.js';

/** A dotted property or trait path (`cart.id`) as a JSON path parameter (`$."cart"."id"`). */
export function jsonPath(dotted: string): string {
  return '$' + dotted.split('.').map((p) => `."${p.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join('');
}

export interface ContactRow {
  customer_id: string;
  /** the customer's email in force (customerEmail: traits.email, else the first email seen); null when none */
  email: string | null;
  traits: string | null;
  /** the email consent in force (privacy/consent.ts, the one consent path), or null when none is recorded */
  email_consent: string | null;
}

/** Who a message would go to: the customers that exist (erased or merged-away ones do not), their email and consent. */
export async function contactsOf(db: Queryable, customerIds: readonly string[]): Promise<Map<string, ContactRow>> {
  if (customerIds.length === 0) return new Map();
  const rows = withCustomerEmail(
    await db.all<{ customer_id: string; traits: string | null; emails: string[] | null }>(
      `SELECT c.customer_id, c.traits::VARCHAR AS traits, ${emailIdentitiesSql('c.customer_id')} AS emails
       FROM customers c WHERE c.customer_id IN (SELECT unnest($1::VARCHAR[])) AND c.merged_into IS NULL`,
      [customerIds],
    ),
  );
  const consent = await consentInForce(db, rows.map((r) => r.customer_id), 'email');
  return new Map(rows.map((r) => [r.customer_id, { ...r, email_consent: consent.get(r.customer_id) ?? null }]));
}

/**
 * The customer a customer id stands for now: itself, or the customer it was merged into (following
 * `merged_into` as far as it goes, at most 50 merges); undefined when that customer is not in the store
 * (erased, or never there).
 */
export async function survivorOf(db: Queryable, customerId: string): Promise<string | undefined> {
  return (await survivorsOf(db, [customerId])).get(customerId);
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

/**
 * Tracked events with one of these names, of a known customer, oldest first by (received_at, message_id):
 * from `after.at` inclusive, or, given `after.messageId`, strictly after that pair (the next page).
 */
export async function eventsReceivedSince(db: Queryable, names: readonly string[], after: { at: Date; messageId?: string }, limit: number): Promise<StoredEvent[]> {
  if (names.length === 0) return [];
  return db.all<StoredEvent>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE received_at >= $2 AND ($4::VARCHAR IS NULL OR received_at > $2 OR message_id > $4)
       AND event IN (SELECT unnest($1::VARCHAR[])) AND customer_id IS NOT NULL
     ORDER BY received_at, message_id LIMIT $3`,
    [names, after.at, limit, after.messageId ?? null],
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

/** One question of customerEventsBetweenMany: customerEventsBetween's, for one (run, wait step). */
export interface EventsBetweenQuery {
  customerId: string;
  event: string;
  from: Date;
  to: Date;
  keyPath?: string;
  key?: string;
}

/**
 * customerEventsBetween for many questions at once: the answer to each, by its position in `queries`,
 * with exactly the rows and order customerEventsBetween gives it (the same predicates, in one join).
 * The plan follows keyLookup's rule (preferPointLookup): when the customers asked about are few against
 * the events table, one indexed point query per question is cheaper than a scan of the table, so each
 * is asked on its own; otherwise one statement scans once for all. `plan` forces one (tests prove both
 * give the same answers).
 */
export async function customerEventsBetweenMany(
  db: Queryable,
  queries: readonly EventsBetweenQuery[],
  plan?: LookupPlan,
): Promise<StoredEvent[][]> {
  if (queries.length === 0) return [];
  const customers = new Set(queries.map((q) => q.customerId)).size;
  if ((plan ?? ((await preferPointLookup(db, 'events', customers)) ? 'index' : 'scan')) === 'index') {
    const out: StoredEvent[][] = [];
    for (const q of queries) out.push(await customerEventsBetween(db, q));
    return out;
  }
  const q = packRows([
    { name: 'i', type: 'number', values: queries.map((_, i) => i) },
    { name: 'c', type: 'text', values: queries.map((x) => x.customerId) },
    { name: 'ev', type: 'text', values: queries.map((x) => x.event) },
    { name: 'f', type: 'time', values: queries.map((x) => x.from) },
    { name: 't', type: 'time', values: queries.map((x) => x.to) },
    { name: 'kp', type: 'text', values: queries.map((x) => (x.keyPath === undefined ? null : jsonPath(x.keyPath))) },
    { name: 'k', type: 'text', values: queries.map((x) => x.key ?? null) },
  ]);
  const rows = await db.all<StoredEvent & { i: number }>(
    `SELECT q.i::INTEGER AS i, e.message_id, e.event, e.customer_id, e.timestamp, e.received_at, e.properties::VARCHAR AS properties
     FROM (${q.select}) q JOIN events e ON e.customer_id = q.c AND e.event = q.ev AND e.timestamp >= q.f AND e.timestamp <= q.t
     WHERE (q.kp IS NULL OR json_extract_string(e.properties, q.kp) = q.k)
     ORDER BY q.i, e.timestamp, e.message_id`,
    q.params,
  );
  const out: StoredEvent[][] = queries.map(() => []);
  for (const { i, ...e } of rows) out[i]!.push(e);
  return out;
}

/**
 * The answers of customerEventsBetweenMany when the scan plan is the cheaper (the customers asked
 * about are many against the events table), else undefined: point queries are then cheaper, and a
 * caller that may not need every answer asks each when it needs it (customerEventsBetween).
 */
export async function customerEventsBetweenInOneScan(db: Queryable, queries: readonly EventsBetweenQuery[]): Promise<StoredEvent[][] | undefined> {
  if (queries.length === 0) return [];
  if (await preferPointLookup(db, 'events', new Set(queries.map((q) => q.customerId)).size)) return undefined;
  return customerEventsBetweenMany(db, queries, 'scan');
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

/**
 * Where each of these customer ids stands now: id → the live customer holding the person (the id
 * itself when it was never merged; else `customers.merged_into` followed to the end of the chain, at
 * most 50 steps as survivorOf). An id with no customer row (erased, or never a customer) is absent
 * from the map. For anything that stored a customer id at one moment and acts on it later (an
 * unsubscribe token, a run's send, a queued membership change): call it in the transaction that acts, so
 * a merge or an erasure committed meanwhile is seen (docs/identity.md, docs/privacy.md).
 */
export async function survivorsOf(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  const distinct = [...new Set(ids)];
  if (distinct.length === 0) return new Map();
  const rows = await db.all<{ origin: string; survivor: string }>(
    `${survivorChainSql('IN (SELECT unnest($1::VARCHAR[]))')}
     SELECT origin, customer_id AS survivor FROM chain WHERE merged_into IS NULL`,
    [distinct],
  );
  return new Map(rows.map((r) => [r.origin, r.survivor]));
}

/**
 * The `WITH RECURSIVE chain(origin, customer_id, merged_into, depth)` clause survivorsOf reads: each
 * customer whose id satisfies `c.customer_id <startsWhere>` (a fixed SQL fragment naming parameters,
 * e.g. `= $3`; never input), then the customers its `merged_into` leads to, at most 50 steps. The row of
 * an origin with `merged_into IS NULL` is the customer holding it now; an origin with none is not held.
 * Shared so that every statement that follows merges follows them exactly as survivorsOf does.
 */
export function survivorChainSql(startsWhere: string): string {
  return `WITH RECURSIVE chain(origin, customer_id, merged_into, depth) AS (
       SELECT c.customer_id, c.customer_id, c.merged_into, 0 FROM customers c WHERE c.customer_id ${startsWhere}
       UNION ALL
       SELECT chain.origin, c.customer_id, c.merged_into, chain.depth + 1
       FROM chain JOIN customers c ON c.customer_id = chain.merged_into
       WHERE chain.depth < 50
     )`;
}
