import type { Queryable } from '../db.js';
import { moveConsent } from './privacy/consent.js';
import { moveRunsKeepingOne } from './workflows/merge-runs.js';
import { keyLookup, packRows, textColumn, type LookupPlan } from './identity-columns.js';

/** Rows travel in slices so that one statement's parameters stay a few megabytes. */
const SLICE = 100_000;

export interface IdentityHit {
  kind: string;
  value: string;
  customer_id: string;
}

export interface CustomerHead {
  customer_id: string;
  created_at: Date;
  user_id: string | null;
}

/** The identities among (kinds[i], values[i]) that exist, with the live customer holding each. */
export async function findIdentities(db: Queryable, kinds: readonly string[], values: readonly string[]): Promise<IdentityHit[]> {
  const out: IdentityHit[] = [];
  for (let i = 0; i < kinds.length; i += SLICE) {
    const q = packRows([
      { name: 'kind', type: 'text', values: kinds.slice(i, i + SLICE) },
      { name: 'value', type: 'text', values: values.slice(i, i + SLICE) },
    ]);
    const rows = await db.all<IdentityHit>(
      `SELECT i.kind, i.value, i.customer_id
       FROM identities i JOIN (${q.select}) q ON i.kind = q.kind AND i.value = q.value`,
      q.params,
    );
    out.push(...rows);
  }
  return out;
}

/** Creation time and user_id (at most one by the resolver's guard) of the given customers. */
export async function customerHeads(db: Queryable, ids: readonly string[]): Promise<CustomerHead[]> {
  const out: CustomerHead[] = [];
  for (let i = 0; i < ids.length; i += SLICE) {
    const list = textColumn(1, ids.slice(i, i + SLICE));
    // The identities are narrowed to the given customers before the join: joined whole, every commit of
    // live events hashed all of a shop's user ids (half this query's time at 100,000 customers).
    const rows = await db.all<CustomerHead>(
      `WITH q AS (SELECT ${list.sql} AS customer_id)
       SELECT c.customer_id, c.created_at, min(u.value) AS user_id
       FROM customers c
       LEFT JOIN (SELECT customer_id, value FROM identities WHERE kind = 'user_id' AND customer_id IN (SELECT customer_id FROM q)) u
         ON u.customer_id = c.customer_id
       WHERE c.customer_id IN (SELECT customer_id FROM q)
       GROUP BY c.customer_id, c.created_at`,
      [list.param],
    );
    out.push(...rows);
  }
  return out;
}

/**
 * Which of the given ids are already used by a customer row, live or merged. A live commit's few new
 * ids are looked up in the primary-key index (keyLookup), not by a scan. `plan` forces one plan (tests).
 */
export async function existingCustomerIds(db: Queryable, ids: readonly string[], plan?: LookupPlan): Promise<string[]> {
  const rows = await keyLookup<{ customer_id: string }>(db, 'customers', ids, (list) => `SELECT customer_id FROM customers WHERE customer_id IN (${list})`, plan);
  return rows.map((r) => r.customer_id);
}

export interface CustomerRow {
  id: string;
  createdAt: Date;
  mergedInto?: string;
}

export async function insertCustomers(db: Queryable, rows: readonly CustomerRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += SLICE) {
    const s = rows.slice(i, i + SLICE);
    const q = packRows([
      { name: 'id', type: 'text', values: s.map((r) => r.id) },
      { name: 't', type: 'time', values: s.map((r) => r.createdAt) },
      { name: 'm', type: 'text', values: s.map((r) => r.mergedInto) },
    ]);
    await db.run(
      `INSERT INTO customers (customer_id, created_at, updated_at, traits, merged_into)
       SELECT id, t, t, '{}', m FROM (${q.select})`,
      q.params,
    );
  }
}

export interface IdentityRow {
  kind: string;
  value: string;
  customerId: string;
  firstSeenAt: Date;
}

export async function insertIdentities(db: Queryable, rows: readonly IdentityRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += SLICE) {
    const s = rows.slice(i, i + SLICE);
    const q = packRows([
      { name: 'kind', type: 'text', values: s.map((r) => r.kind) },
      { name: 'value', type: 'text', values: s.map((r) => r.value) },
      { name: 'c', type: 'text', values: s.map((r) => r.customerId) },
      { name: 't', type: 'time', values: s.map((r) => r.firstSeenAt) },
    ]);
    await db.run(`INSERT INTO identities (kind, value, customer_id, first_seen_at) SELECT kind, value, c, t FROM (${q.select})`, q.params);
  }
}

export interface MergeRow {
  at: Date;
  survivorId: string;
  absorbedId: string;
  reason: string;
  kind: string;
  value: string;
  refused: boolean;
  messageId?: string;
}

export async function insertMerges(db: Queryable, rows: readonly MergeRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += SLICE) {
    const s = rows.slice(i, i + SLICE);
    const q = packRows([
      { name: 't', type: 'time', values: s.map((r) => r.at) },
      { name: 's', type: 'text', values: s.map((r) => r.survivorId) },
      { name: 'a', type: 'text', values: s.map((r) => r.absorbedId) },
      { name: 'r', type: 'text', values: s.map((r) => r.reason) },
      { name: 'k', type: 'text', values: s.map((r) => r.kind) },
      { name: 'v', type: 'text', values: s.map((r) => r.value) },
      { name: 'x', type: 'bool', values: s.map((r) => r.refused) },
      { name: 'm', type: 'text', values: s.map((r) => r.messageId) },
    ]);
    await db.run(
      `INSERT INTO merges (merged_at, survivor_id, absorbed_id, reason, identifier_kind, identifier_value, refused, message_id)
       SELECT t, s, a, r, k, v, x, m FROM (${q.select})`,
      q.params,
    );
  }
}

export interface TraitsRow {
  customer_id: string;
  traits: string;
  updated_at: Date;
}

/**
 * The traits (JSON text) and updated_at of the given customers; a few are read through the primary-key
 * index (keyLookup). `plan` forces one plan (tests).
 */
export function customerTraits(db: Queryable, ids: readonly string[], plan?: LookupPlan): Promise<TraitsRow[]> {
  return keyLookup<TraitsRow>(db, 'customers', ids, (list) => `SELECT customer_id, traits::VARCHAR AS traits, updated_at FROM customers WHERE customer_id IN (${list})`, plan);
}

/** Replaces traits (JSON text) and moves updated_at forward, never back. */
export async function writeCustomerTraits(db: Queryable, rows: readonly { id: string; traits: string; updatedAt: Date }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += SLICE) {
    const s = rows.slice(i, i + SLICE);
    const q = packRows([
      { name: 'id', type: 'text', values: s.map((r) => r.id) },
      { name: 'traits', type: 'text', values: s.map((r) => r.traits) },
      { name: 't', type: 'time', values: s.map((r) => r.updatedAt) },
    ]);
    await db.run(
      `UPDATE customers SET traits = m.traits::JSON, updated_at = greatest(customers.updated_at, m.t)
       FROM (${q.select}) m WHERE customers.customer_id = m.id`,
      q.params,
    );
  }
}

/**
 * Moves customers' created_at (the "since" of a profile) earlier, never later: a customer is known
 * since its earliest data, including that of the customers merged into it (the resolution plan works
 * the times out, ResolutionPlan.earlierSince).
 */
export async function moveSinceEarlier(db: Queryable, rows: readonly { id: string; createdAt: Date }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += SLICE) {
    const s = rows.slice(i, i + SLICE);
    const q = packRows([
      { name: 'id', type: 'text', values: s.map((r) => r.id) },
      { name: 't', type: 'time', values: s.map((r) => r.createdAt) },
    ]);
    await db.run(`UPDATE customers SET created_at = m.t FROM (${q.select}) m WHERE customers.customer_id = m.id AND m.t < customers.created_at`, q.params);
  }
}

/**
 * Moves the absorbed customers' rows of a table of (customer, key) entries with an added_at and a source
 * (tags, static list entries) to their survivors: an entry both had keeps the earliest added_at and that
 * entry's source. `table` and `key` come from the caller's constants, never from input; `mapping` is the
 * absorbed→survivor subquery over parameters $1 (absorbed) and $2 (survivors).
 */
async function moveKeepingEarliest(db: Queryable, table: 'customer_tags' | 'static_list_members', key: 'tag' | 'list_name', mapping: string, a: string[], s: string[]): Promise<void> {
  await db.run(
    `INSERT INTO ${table} (customer_id, ${key}, added_at, source)
     SELECT m.s, x.${key}, min(x.added_at), arg_min(x.source, x.added_at) FROM ${table} x JOIN ${mapping} ON x.customer_id = m.a
     GROUP BY m.s, x.${key}
     ON CONFLICT DO UPDATE SET source = CASE WHEN excluded.added_at < ${table}.added_at THEN excluded.source ELSE ${table}.source END,
       added_at = least(${table}.added_at, excluded.added_at)`,
    [a, s],
  );
  await db.run(`DELETE FROM ${table} WHERE customer_id IN (SELECT unnest($1::VARCHAR[]))`, [a]);
}

/**
 * Tables of per-customer results that a merge makes stale (names from the migrations, not from users). The
 * lifetime-value predictions of a customer are stored in customer_prediction_values (migration 17;
 * customer_predictions is a view of it joined to the run, and rows cannot be deleted through a view).
 */
const DERIVED_PER_CUSTOMER = [
  'customer_metrics',
  'customer_prediction_values',
  'customer_rfm',
  'customer_clusters',
  'propensity_scores',
] as const;

/**
 * Moves everything of the absorbed customers to their survivors: identities, events, orders, consent
 * (its history; the latest decision by its own time wins per channel), segment memberships, tags and
 * static lists (each with the earliest time of both), workflow runs and sends; drops the absorbed customers' metrics
 * and model scores (the caller recomputes the survivors' metrics), and marks them merged_into, re-pointing older merges so that
 * merged_into always names a live customer. The one place a merge moves what belongs to a customer,
 * whatever made it (live events, alias, an import): run it in the merge's transaction.
 */
export async function repointAbsorbed(db: Queryable, absorbed: ReadonlyMap<string, string>, at: Date): Promise<void> {
  if (absorbed.size === 0) return;
  const a = [...absorbed.keys()];
  const s = a.map((k) => absorbed.get(k)!);
  const mapping = '(SELECT unnest($1::VARCHAR[]) AS a, unnest($2::VARCHAR[]) AS s) m';
  for (const table of ['identities', 'events', 'orders'] as const) {
    await db.run(`UPDATE ${table} SET customer_id = m.s FROM ${mapping} WHERE ${table}.customer_id = m.a`, [a, s]);
  }
  // Consent history follows the customer; the decision in force is settled again (privacy/consent).
  await moveConsent(db, a, s);
  // Memberships, tags and list entries both customers have keep the earliest time: the person has been
  // in the segment (tagged, on the list) since the first of the two.
  await db.run(
    `INSERT INTO segment_members (segment_id, customer_id, since)
     SELECT sm.segment_id, m.s, min(sm.since) FROM segment_members sm JOIN ${mapping} ON sm.customer_id = m.a
     GROUP BY sm.segment_id, m.s
     ON CONFLICT DO UPDATE SET since = least(segment_members.since, excluded.since)`,
    [a, s],
  );
  await db.run('DELETE FROM segment_members WHERE customer_id IN (SELECT unnest($1::VARCHAR[]))', [a]);
  for (const [table, key] of [
    ['customer_tags', 'tag'],
    ['static_list_members', 'list_name'],
  ] as const) {
    await moveKeepingEarliest(db, table, key, mapping, a, s);
  }
  // What was sent to the absorbed customer was sent to the person: frequency caps count it for the survivor.
  // Workflow runs follow in this same transaction, whatever made the merge (live events, an import):
  // a run waiting for its next step carries on for the survivor, not under an id that has gone; of two
  // runs of one workflow the person now has, one carries on.
  await moveRunsKeepingOne(db, a, s, at);
  // Per-customer results of metrics and models describe the customer as it was: an absorbed customer
  // has none any more (the survivor's metrics are recomputed by the caller, models on their next run).
  const derived = await db.all<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_name IN (SELECT unnest($1::VARCHAR[]))`,
    [[...DERIVED_PER_CUSTOMER]],
  );
  for (const { table_name } of derived) {
    const table = DERIVED_PER_CUSTOMER.find((t) => t === table_name)!;
    await db.run(`DELETE FROM ${table} WHERE customer_id IN (SELECT unnest($1::VARCHAR[]))`, [a]);
  }
  await db.run(
    `UPDATE customers SET merged_into = m.s, updated_at = greatest(customers.updated_at, $3::TIMESTAMP)
     FROM ${mapping} WHERE customers.customer_id = m.a OR customers.merged_into = m.a`,
    [a, s, at],
  );
}
