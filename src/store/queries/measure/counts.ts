import type { Queryable } from '../../db.js';
import type { AssignmentRelation } from './sources/relation.js';

/** How many customers each group of an experiment holds (assigned at or before asOf, when given). */
export async function assignmentCounts(db: Queryable, relation: AssignmentRelation, asOf?: Date): Promise<Map<string, number>> {
  const k = relation.params.length;
  const rows = await db.all<{ group_name: string; n: number }>(
    `SELECT group_name, count(*) AS n FROM (${relation.sql}) AS r
     WHERE $${k + 1}::TIMESTAMP IS NULL OR r.assigned_at <= $${k + 1}::TIMESTAMP GROUP BY group_name`,
    [...relation.params, asOf ?? null],
  );
  return new Map(rows.map((r) => [r.group_name, r.n]));
}
