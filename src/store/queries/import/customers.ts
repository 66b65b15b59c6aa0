import type { Queryable } from '../../db.js';
import { storedTraitSql } from '../identifier-traits.js';
import { applyConsentDecisions } from '../privacy/consent.js';

/**
 * Traits of the file's customers onto their profiles, decided by the time of the data: per customer and
 * trait, the value from the file's latest row (by the row's data time, then line) is a candidate, and
 * it replaces the value in force only when it is at least as new as the data that set that value
 * (trait_times; a value with no known time is replaced). So an older export never overwrites newer
 * live traits, a second import of the same file changes nothing, and an empty cell never erases a
 * value. The email trait is stored normalised (storedTraitSql, docs/identity.md). `<channel>_consent`
 * keys are left to consent (writeConsent). Returns the customers changed.
 */
export async function writeTraits(tx: Queryable, at: Date, source: string): Promise<number> {
  await tx.run('DROP TABLE IF EXISTS imp_traits');
  await tx.run(
    `CREATE TEMP TABLE imp_traits AS
     WITH distinct_traits AS (
       -- A customer's rows mostly repeat the same traits: take each distinct object once, at its latest.
       SELECT customer_id, traits, max({'t': data_at, 'l': line}) AS seen
       FROM imp_lines WHERE customer_id IS NOT NULL AND traits IS NOT NULL GROUP BY customer_id, traits
     ),
     kv AS (
       -- An identifier trait (email) is stored as its identity is: trimmed and lower-cased.
       SELECT customer_id, seen, k, ptr, ${storedTraitSql('k', 'json_extract(traits, ptr)')} AS v
       FROM (SELECT *, '/' || replace(replace(k, '~', '~0'), '/', '~1') AS ptr
             FROM (SELECT *, unnest(json_keys(traits)) AS k FROM distinct_traits))
       WHERE NOT regexp_matches(k, '(?i)_consent$')
     ),
     latest AS (
       SELECT customer_id, k, any_value(ptr) AS ptr, arg_max(v, seen) AS v, struct_extract(max(seen), 't') AS decided
       FROM kv WHERE json_type(v) <> 'NULL' GROUP BY customer_id, k
     ),
     -- Only values at least as new as the data behind the value in force.
     applicable AS (
       SELECT l.* FROM latest l LEFT JOIN trait_times tt ON tt.customer_id = l.customer_id AND tt.trait = l.k
       WHERE tt.decided_at IS NULL OR l.decided >= tt.decided_at
     )
     -- Compared key by key, through a JSON pointer that escapes any key: the order keys come out of a
     -- GROUP BY in is not stable, so comparing whole objects as text would see changes that are not there.
     SELECT a.customer_id, a.k, a.v, a.decided,
       json_extract(c.traits, a.ptr)::VARCHAR IS DISTINCT FROM a.v::VARCHAR AS changed
     FROM applicable a JOIN customers c USING (customer_id)`,
  );
  const changed = await tx.one<{ n: number }>('SELECT count(DISTINCT customer_id) AS n FROM imp_traits WHERE changed');
  await tx.run(
    `UPDATE customers SET traits = json_merge_patch(customers.traits, t.traits), updated_at = greatest(customers.updated_at, $1::TIMESTAMP)
     FROM (SELECT customer_id, json_group_object(k, v) AS traits FROM imp_traits WHERE changed GROUP BY customer_id) t
     WHERE customers.customer_id = t.customer_id`,
    [at],
  );
  await tx.run(
    `INSERT INTO trait_times (customer_id, trait, decided_at, source)
     SELECT customer_id, k, decided, $1 FROM imp_traits
     ON CONFLICT (customer_id, trait) DO UPDATE SET decided_at = excluded.decided_at, source = excluded.source
     WHERE excluded.decided_at >= trait_times.decided_at`,
    [source],
  );
  await tx.run('DROP TABLE imp_traits');
  return changed!.n;
}

/**
 * The file's consent decisions (email, sms, push, ads columns of its rows), each dated by its row's data
 * time, recorded like every consent decision (privacy/consent: history kept, the latest decision by its
 * own time in force). A customer's unchanged answers in consecutive rows are one decision, the first
 * time it was seen. Returns how many decisions in force changed.
 */
export async function writeConsent(tx: Queryable, source: string, now: Date): Promise<number> {
  const decisions = `
    WITH c AS (
      ${(['email', 'sms', 'push', 'ads'] as const)
        .map((ch) => `SELECT customer_id, '${ch}' AS channel, consent_${ch} AS status, data_at, line FROM imp_lines WHERE consent_${ch} IS NOT NULL AND customer_id IS NOT NULL`)
        .join('\n      UNION ALL ')}
    ),
    o AS (SELECT *, lag(status) OVER (PARTITION BY customer_id, channel ORDER BY data_at, line) AS previous FROM c)
    SELECT customer_id, channel, status, data_at AS decided_at, $1::VARCHAR AS source FROM o WHERE previous IS DISTINCT FROM status`;
  const r = await applyConsentDecisions(tx, { sql: decisions, params: [source] }, now);
  return r.changed;
}
