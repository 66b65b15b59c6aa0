import type { Queryable } from '../../db.js';

/**
 * Traits of the file's customers onto their profiles: per customer and trait, the value from its
 * latest row (by time, then line) wins, and is merged over what the profile already has, so a second
 * import of the same file changes nothing and an empty cell never erases a value.
 */
export async function writeTraits(tx: Queryable, at: Date): Promise<number> {
  await tx.run('DROP TABLE IF EXISTS imp_traits');
  await tx.run(
    `CREATE TEMP TABLE imp_traits AS
     WITH distinct_traits AS (
       -- A customer's rows mostly repeat the same traits: take each distinct object once, at its latest.
       SELECT customer_id, traits, max((coalesce(placed_at, '-infinity'::TIMESTAMP), line)) AS seen
       FROM imp_lines WHERE customer_id IS NOT NULL AND traits IS NOT NULL GROUP BY customer_id, traits
     ),
     kv AS (
       SELECT customer_id, seen, k, ptr, json_extract(traits, ptr) AS v
       FROM (SELECT *, '/' || replace(replace(k, '~', '~0'), '/', '~1') AS ptr
             FROM (SELECT *, unnest(json_keys(traits)) AS k FROM distinct_traits))
     ),
     latest AS (
       SELECT customer_id, k, any_value(ptr) AS ptr, arg_max(v, seen) AS v FROM kv WHERE json_type(v) <> 'NULL' GROUP BY customer_id, k
     ),
     -- Compared key by key, through a JSON pointer that escapes any key: the order keys come out of a
     -- GROUP BY in is not stable, so comparing whole objects as text would see changes that are not there.
     changed AS (
       SELECT l.customer_id, l.k, l.v FROM latest l JOIN customers c USING (customer_id)
       WHERE json_extract(c.traits, l.ptr)::VARCHAR IS DISTINCT FROM l.v::VARCHAR
     )
     SELECT customer_id, json_group_object(k, v) AS traits FROM changed GROUP BY customer_id`,
  );
  const changed = await tx.one<{ n: number }>('SELECT count(*) AS n FROM imp_traits');
  await tx.run(
    `UPDATE customers SET traits = json_merge_patch(customers.traits, t.traits), updated_at = $1
     FROM imp_traits t WHERE customers.customer_id = t.customer_id`,
    [at],
  );
  await tx.run('DROP TABLE imp_traits');
  return changed!.n;
}

/** Consent per customer and channel from its latest row that says something; only changes are written. */
export async function writeConsent(tx: Queryable, source: string, at: Date): Promise<number> {
  await tx.run('DROP TABLE IF EXISTS imp_consent');
  await tx.run(
    `CREATE TEMP TABLE imp_consent AS
     WITH c AS (
       SELECT customer_id, 'email' AS channel, consent_email AS status, placed_at, line FROM imp_lines WHERE consent_email IS NOT NULL
       UNION ALL
       SELECT customer_id, 'sms', consent_sms, placed_at, line FROM imp_lines WHERE consent_sms IS NOT NULL
     )
     SELECT customer_id, channel, arg_max(status, (coalesce(placed_at, '-infinity'::TIMESTAMP), line)) AS status
     FROM c WHERE customer_id IS NOT NULL GROUP BY customer_id, channel`,
  );
  const changed = await tx.one<{ n: number }>(
    `SELECT count(*) AS n FROM imp_consent i LEFT JOIN consent c USING (customer_id, channel)
     WHERE c.status IS DISTINCT FROM i.status`,
  );
  await tx.run(
    `INSERT INTO consent (customer_id, channel, status, updated_at, source)
     SELECT customer_id, channel, status, $1, $2 FROM imp_consent
     ON CONFLICT (customer_id, channel) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
       source = excluded.source
     WHERE consent.status <> excluded.status`,
    [at, source],
  );
  await tx.run('DROP TABLE imp_consent');
  return changed!.n;
}
