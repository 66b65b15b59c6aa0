import type { Queryable } from '../db.js';
import type { Migration } from './types.js';

/**
 * Consent decisions and trait times dated after they were recorded (stored before such times were
 * refused, trial 6 D1) are dated when they were recorded instead, so a later decision can outrank them:
 * - a consent_history entry dated after its recorded_at gets recorded_at;
 * - each consent in force still dated in the future is settled again from the history (latest by its
 *   own time, a tie to a denial: store/queries/privacy/consent.ts), and its `<channel>_consent` trait
 *   and trait time follow it;
 * - any other trait time after the migration's run is that run's time.
 * "Now" is read as UTC microseconds (epoch_us), never through the session's time zone. The SQL is
 * written out here, so this migration stays what it was when it ran. Migrations land in any order
 * (migrate.ts): without the tables of migration 7 (consent_history, trait_times) only the consent in
 * force is dated now, and migration 7 copies it into the history as it is.
 */
const NOW = 'make_timestamp(epoch_us(now()))';
const WINS = "(decided_at, status = 'denied')";

const CONSENT_NOW = `UPDATE consent SET updated_at = ${NOW} WHERE updated_at > ${NOW}`;

/** In this order: the history first, then what is in force is settled from it, then the traits follow. */
const WITH_HISTORY: readonly string[] = [
    'UPDATE consent_history SET decided_at = recorded_at WHERE decided_at > recorded_at',
    `UPDATE consent SET status = w.status, updated_at = w.decided_at, source = w.source
     FROM (SELECT customer_id, channel, arg_max(status, ${WINS}) AS status, max(decided_at) AS decided_at, arg_max(source, ${WINS}) AS source
           FROM consent_history GROUP BY customer_id, channel) w
     WHERE consent.customer_id = w.customer_id AND consent.channel = w.channel AND consent.updated_at > ${NOW}`,
    CONSENT_NOW,
    `UPDATE customers SET traits = json_merge_patch(customers.traits, m.patch) FROM (
       SELECT customer_id, json_group_object(channel || '_consent', status) AS patch FROM consent GROUP BY customer_id
     ) m
     WHERE customers.customer_id = m.customer_id
       AND EXISTS (SELECT 1 FROM consent c WHERE c.customer_id = m.customer_id
         AND json_extract_string(customers.traits, '$.' || c.channel || '_consent') IS DISTINCT FROM c.status)`,
    `UPDATE trait_times SET decided_at = c.updated_at, source = c.source FROM consent c
     WHERE trait_times.customer_id = c.customer_id AND trait_times.trait = c.channel || '_consent' AND trait_times.decided_at > ${NOW}`,
    `UPDATE trait_times SET decided_at = ${NOW} WHERE decided_at > ${NOW}`,
];

export const futureDecisions: Migration = {
  version: 23,
  name: 'decisions dated in the future dated when recorded',
  statements: [],
  finish: async (tx: Queryable) => {
    const tables = new Set((await tx.all<{ t: string }>("SELECT table_name AS t FROM duckdb_tables() WHERE NOT temporary AND database_name = current_database() AND schema_name = 'main'")).map((r) => r.t));
    const run = tables.has('consent_history') && tables.has('trait_times') ? WITH_HISTORY : [CONSENT_NOW];
    for (const sql of run) await tx.run(sql);
  },
};
