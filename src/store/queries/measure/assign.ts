import type { Param, Queryable } from '../../db.js';
import { emailIdentitiesSql } from '../customer-emails.js';
import { channelsParam, consentInForceSql } from '../consent-in-force.js';
import type { CompiledSegment } from '../segments/compiled.js';
import { membersAsOf } from './members-as-of.js';
import type { AssignmentRelation } from './sources/relation.js';

export interface GroupBound {
  readonly name: string;
  /** Upper end of the group's bucket on the [0, 2³²) scale; the last group's is 2³². */
  readonly upper: number;
}

/**
 * Splits the members of a compiled segment as of `at` into groups and records them: each customer's
 * bucket is the first 32 bits of md5(salt ':' customer_id), read as an unsigned integer, and it falls in
 * the first group whose upper bound exceeds it (the same as assignmentBucket in
 * src/measure/experiments/bucket.ts). md5 is a fixed standard, so the same salt gives the same groups
 * on every machine and version. Returns how many were assigned to each group.
 */
export async function assignSegmentMembers(
  tx: Queryable,
  compiled: CompiledSegment,
  experimentId: string,
  salt: string,
  bounds: readonly GroupBound[],
  at: Date,
): Promise<Map<string, number>> {
  const members = membersAsOf(compiled, at);
  const k = members.params.length;
  const p = (i: number) => `$${k + i}`;
  const cases = bounds.map((_, i) => `WHEN bucket < ${p(4 + 2 * i)}::UBIGINT THEN ${p(5 + 2 * i)}`).join(' ');
  const params: Param[] = [...members.params, experimentId, salt, at];
  for (const b of bounds) params.push(b.upper, b.name);
  await tx.run(
    `INSERT INTO experiment_assignments (experiment_id, customer_id, group_name, assigned_at)
     SELECT ${p(1)}, customer_id, CASE ${cases} END, ${p(3)}::TIMESTAMP
     FROM (
       SELECT customer_id, ('0x' || substr(md5(${p(2)} || ':' || customer_id), 1, 8))::UBIGINT AS bucket
       FROM (SELECT DISTINCT customer_id FROM (${members.sql}) AS m) AS members
     ) AS hashed`,
    params,
  );
  const rows = await tx.all<{ group_name: string; n: number }>(
    'SELECT group_name, count(*) AS n FROM experiment_assignments WHERE experiment_id = $1 GROUP BY group_name',
    [experimentId],
  );
  return new Map(rows.map((r) => [r.group_name, r.n]));
}

export interface AssignmentExportRow {
  customer_id: string;
  user_id: string | null;
  /** the email trait as text, or null */
  email_trait: string | null;
  /** email identities, first seen first (emailIdentitiesSql) */
  emails: string[] | null;
  group_name: string;
  assigned_at: Date;
  /** the consent in force over the channels asked for (consentInForceSql: denied, granted, or NULL) */
  channel_consent: string | null;
}

/**
 * A page of an experiment's assignments, read through its source's relation (any source: a campaign's
 * rows or a workflow step's, merges followed), with each customer's user id (the first alphabetically
 * when a customer has several) and what their email is made of (the trait and the email identities:
 * customerEmail gives the one every export uses), and their consent in force over `channels` (the
 * rule of every export: privacy/consent/policy.ts), ordered by customer_id, after the id `after`.
 */
export async function assignmentPage(db: Queryable, relation: AssignmentRelation, after: string, limit: number, channels: readonly string[]): Promise<AssignmentExportRow[]> {
  const k = relation.params.length;
  return db.all<AssignmentExportRow>(
    `WITH page AS (
       SELECT customer_id, group_name, assigned_at FROM (${relation.sql}) AS r
       WHERE customer_id > $${k + 1} ORDER BY customer_id LIMIT $${k + 2}
     )
     SELECT p.customer_id,
       (SELECT min(value) FROM identities i WHERE i.customer_id = p.customer_id AND i.kind = 'user_id') AS user_id,
       (SELECT json_extract_string(c.traits, '$.email') FROM customers c WHERE c.customer_id = p.customer_id) AS email_trait,
       ${emailIdentitiesSql('p.customer_id')} AS emails,
       p.group_name, p.assigned_at,
       ${consentInForceSql('p.customer_id', `$${k + 3}`)} AS channel_consent
     FROM page p ORDER BY p.customer_id`,
    [...relation.params, after, limit, channelsParam(channels)],
  );
}
