import type { Param, Queryable } from '../../db.js';
import { packRows } from '../identity-columns.js';

/** One consent decision: a channel granted or denied, when it was decided, and where it came from. */
export interface ConsentDecisionRow {
  readonly customerId: string;
  readonly channel: string;
  readonly status: 'granted' | 'denied';
  readonly decidedAt: Date;
  readonly source: string;
}

/** A SELECT giving rows (customer_id, channel, status, decided_at, source), and its parameters. */
export interface DecisionRelation {
  readonly sql: string;
  readonly params: readonly Param[];
}

/** Decisions given in code, as a relation for applyConsentDecisions. */
export function decisionRelation(rows: readonly ConsentDecisionRow[]): DecisionRelation {
  const q = packRows([
    { name: 'customer_id', type: 'text', values: rows.map((r) => r.customerId) },
    { name: 'channel', type: 'text', values: rows.map((r) => r.channel) },
    { name: 'status', type: 'text', values: rows.map((r) => r.status) },
    { name: 'decided_at', type: 'time', values: rows.map((r) => r.decidedAt) },
    { name: 'source', type: 'text', values: rows.map((r) => r.source) },
  ]);
  return { sql: q.select, params: q.params };
}

// The decision that wins among several for one channel: the latest by its own time; at the same
// instant a denial wins (the safe reading of two contradicting answers).
const WINS = "(decided_at, status = 'denied')";

/**
 * Records decisions (run inside the caller's transaction):
 * 1. every decision not already in consent_history is added to it (what, when, source, recorded now);
 * 2. per customer and channel, the consent table takes the latest decision by its own time, whatever
 *    the order they arrive in (an older decision never replaces a newer one; a tie goes to a denial);
 * 3. the customer's trait `<channel>_consent` is set to the current status, with its time, so the trait
 *    and the consent record always agree.
 * Returns how many (customer, channel) pairs changed status, and the customers touched.
 */
export async function applyConsentDecisions(db: Queryable, relation: DecisionRelation, recordedAt: Date): Promise<{ changed: number; customers: string[] }> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE consent_in AS
     SELECT DISTINCT customer_id, channel, status, decided_at::TIMESTAMP AS decided_at, source FROM (${relation.sql})
     WHERE customer_id IS NOT NULL AND channel IS NOT NULL AND status IN ('granted', 'denied') AND decided_at IS NOT NULL`,
    relation.params,
  );
  await db.run(
    `INSERT INTO consent_history (customer_id, channel, status, decided_at, source, recorded_at)
     SELECT i.customer_id, i.channel, i.status, i.decided_at, i.source, $1::TIMESTAMP FROM consent_in i
     WHERE NOT EXISTS (SELECT 1 FROM consent_history h WHERE h.customer_id = i.customer_id AND h.channel = i.channel
       AND h.status = i.status AND h.decided_at = i.decided_at AND h.source = i.source)`,
    [recordedAt],
  );
  const result = await settle(db);
  await db.run('DROP TABLE consent_in');
  return result;
}

/** Steps 2 and 3 of applyConsentDecisions over the decisions in consent_in. */
async function settle(db: Queryable): Promise<{ changed: number; customers: string[] }> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE consent_win AS
     SELECT customer_id, channel, arg_max(status, ${WINS}) AS status, max(decided_at) AS decided_at, arg_max(source, ${WINS}) AS source
     FROM consent_in GROUP BY customer_id, channel`,
  );
  const changed = await db.one<{ n: number }>(
    `SELECT count(*) AS n FROM consent_win w LEFT JOIN consent c USING (customer_id, channel)
     WHERE c.status IS NULL OR (c.status <> w.status AND (w.decided_at > c.updated_at OR (w.decided_at = c.updated_at AND w.status = 'denied')))`,
  );
  await db.run(
    `INSERT INTO consent (customer_id, channel, status, updated_at, source)
     SELECT customer_id, channel, status, decided_at, source FROM consent_win
     ON CONFLICT (customer_id, channel) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, source = excluded.source
     WHERE excluded.updated_at > consent.updated_at
        OR (excluded.updated_at = consent.updated_at AND excluded.status = 'denied' AND consent.status <> 'denied')`,
  );
  await mirrorConsentTraits(db, 'SELECT DISTINCT customer_id, channel FROM consent_win');
  const customers = await db.all<{ customer_id: string }>('SELECT DISTINCT customer_id FROM consent_win ORDER BY 1');
  await db.run('DROP TABLE consent_win');
  return { changed: changed!.n, customers: customers.map((c) => c.customer_id) };
}

/**
 * Sets the trait `<channel>_consent` of the given (customer_id, channel) pairs to their current
 * consent status, dated like the decision, so that traits and consent never disagree.
 */
async function mirrorConsentTraits(db: Queryable, pairs: string): Promise<void> {
  await db.run(
    `UPDATE customers SET traits = json_merge_patch(customers.traits, m.patch) FROM (
       SELECT c.customer_id, json_group_object(c.channel || '_consent', c.status) AS patch
       FROM consent c JOIN (${pairs}) p USING (customer_id, channel) GROUP BY c.customer_id
     ) m
     WHERE customers.customer_id = m.customer_id`,
  );
  await db.run(
    `INSERT INTO trait_times (customer_id, trait, decided_at, source)
     SELECT c.customer_id, c.channel || '_consent', c.updated_at, c.source FROM consent c JOIN (${pairs}) p USING (customer_id, channel)
     ON CONFLICT (customer_id, trait) DO UPDATE SET decided_at = excluded.decided_at, source = excluded.source`,
  );
}

/**
 * For consent rows written in bulk straight into the consent table (the demo's loader): each gets its
 * consent_history entry and its mirrored `<channel>_consent` trait, as recordConsent would have given.
 * Rows already in the history are left alone, so running it again changes nothing.
 */
export async function adoptConsentRows(db: Queryable): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE consent_new AS
     SELECT c.customer_id, c.channel, c.status, c.updated_at, c.source FROM consent c
     WHERE NOT EXISTS (SELECT 1 FROM consent_history h WHERE h.customer_id = c.customer_id AND h.channel = c.channel
       AND h.status = c.status AND h.decided_at = c.updated_at AND h.source = c.source)`,
  );
  await db.run(
    `INSERT INTO consent_history (customer_id, channel, status, decided_at, source, recorded_at)
     SELECT customer_id, channel, status, updated_at, source, updated_at FROM consent_new`,
  );
  await mirrorConsentTraits(db, 'SELECT customer_id, channel FROM consent_new');
  await db.run('DROP TABLE consent_new');
}

/**
 * On a merge: the absorbed customers' consent history moves to their survivors, and each survivor's
 * current decision per channel is settled again over its own and the absorbed ones (same rule: the
 * latest by its own time, a tie to a denial). absorbed[i] was merged into survivors[i].
 */
export async function moveConsent(db: Queryable, absorbed: readonly string[], survivors: readonly string[]): Promise<void> {
  if (absorbed.length === 0) return;
  const mapping = '(SELECT unnest($1::VARCHAR[]) AS a, unnest($2::VARCHAR[]) AS s) m';
  await db.run(`UPDATE consent_history SET customer_id = m.s FROM ${mapping} WHERE consent_history.customer_id = m.a`, [absorbed, survivors]);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE consent_in AS
     SELECT m.s AS customer_id, c.channel, c.status, c.updated_at AS decided_at, c.source
     FROM consent c JOIN ${mapping} ON c.customer_id = m.a`,
    [absorbed, survivors],
  );
  await db.run('DELETE FROM consent WHERE customer_id IN (SELECT unnest($1::VARCHAR[]))', [absorbed]);
  await settle(db);
  await db.run('DROP TABLE consent_in');
}

export interface ConsentHistoryRow {
  channel: string;
  status: string;
  decided_at: Date;
  source: string;
  recorded_at: Date;
}

/** Every recorded decision of a customer, newest first (by its own time, then by when it was recorded). */
export function consentHistoryOf(db: Queryable, customerId: string): Promise<ConsentHistoryRow[]> {
  return db.all<ConsentHistoryRow>(
    `SELECT channel, status, decided_at, source, recorded_at FROM consent_history WHERE customer_id = $1
     ORDER BY decided_at DESC, recorded_at DESC, channel`,
    [customerId],
  );
}

export interface CurrentConsentRow {
  channel: string;
  status: string;
  decided_at: Date;
  source: string;
}

/** The decision in force per channel. */
export function currentConsentOf(db: Queryable, customerId: string): Promise<CurrentConsentRow[]> {
  return db.all<CurrentConsentRow>('SELECT channel, status, updated_at AS decided_at, source FROM consent WHERE customer_id = $1 ORDER BY channel', [customerId]);
}
