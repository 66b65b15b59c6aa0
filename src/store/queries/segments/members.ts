import type { Param, Queryable, Transaction } from '../../db.js';
import type { HistoryNumbers } from '../realtime/history-numbers.js';
import type { CompiledSegment } from './compiled.js';

export interface MembershipDiff {
  entered: number;
  exited: number;
  members: number;
}

/**
 * Makes segment_members of one segment equal to the members of a compiled definition, recording only
 * the changes in segment_history: an entry for each new member, an exit for each member no longer
 * matching. The diff is computed inside the database in one statement (the compiler's placeholders are
 * `$1..$n`, the segment id binds as `$n+1`); when nothing changed, nothing is written. changed_at is
 * the as_of of the evaluation; recorded_at is when it ran; seq (the change stream's cursor) comes from
 * `numbers`, the database's allocator (migration 27). Run it inside a transaction.
 */
export async function applyMembers(
  tx: Transaction,
  compiled: CompiledSegment,
  segmentId: string,
  asOf: Date,
  now: Date,
  numbers: HistoryNumbers,
): Promise<MembershipDiff> {
  const id = `$${compiled.parameters.length + 1}::VARCHAR`;
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE segment_changes AS
     WITH now_in AS MATERIALIZED (SELECT customer_id FROM (${compiled.sql}) AS compiled_segment),
          was_in AS (SELECT customer_id FROM segment_members WHERE segment_id = ${id})
     SELECT customer_id, 'entered' AS change FROM (SELECT customer_id FROM now_in EXCEPT SELECT customer_id FROM was_in)
     UNION ALL
     SELECT customer_id, 'exited' AS change FROM (SELECT customer_id FROM was_in EXCEPT SELECT customer_id FROM now_in)`,
    [...(compiled.parameters as Param[]), segmentId],
  );
  const row = (await tx.one<{ entered: number; exited: number; members: number }>(
    `SELECT count(*) FILTER (WHERE change = 'entered') AS entered, count(*) FILTER (WHERE change = 'exited') AS exited,
       (SELECT count(*) FROM segment_members WHERE segment_id = $1) AS members
     FROM segment_changes`,
    [segmentId],
  ))!;
  if (row.entered + row.exited === 0) return { entered: 0, exited: 0, members: row.members };
  const first = await numbers.take(tx, row.entered + row.exited);
  await tx.run(
    `INSERT INTO segment_history (segment_id, customer_id, change, changed_at, recorded_at, seq)
     SELECT $1, customer_id, change, $2, $3, $4::BIGINT + row_number() OVER () - 1 FROM segment_changes`,
    [segmentId, asOf, now, first],
  );
  if (row.exited > 0) {
    await tx.run(
      `DELETE FROM segment_members WHERE segment_id = $1
         AND customer_id IN (SELECT customer_id FROM segment_changes WHERE change = 'exited')`,
      [segmentId],
    );
  }
  if (row.entered > 0) {
    await tx.run(
      `INSERT INTO segment_members (segment_id, customer_id, since)
       SELECT $1, customer_id, $2 FROM segment_changes WHERE change = 'entered'`,
      [segmentId, asOf],
    );
  }
  return { entered: row.entered, exited: row.exited, members: row.members - row.exited + row.entered };
}

/** Frees the working table of a refresh run (it is per connection and replaced on the next run). */
export async function dropRefreshTables(tx: Queryable): Promise<void> {
  await tx.run('DROP TABLE IF EXISTS segment_changes');
}

export interface MemberRow {
  customer_id: string;
  since: Date;
}

export async function listMembers(db: Queryable, segmentId: string, limit: number, offset: number): Promise<MemberRow[]> {
  return db.all<MemberRow>(
    `SELECT customer_id, since FROM segment_members WHERE segment_id = $1 ORDER BY customer_id LIMIT $2 OFFSET $3`,
    [segmentId, limit, offset],
  );
}

/**
 * Up to when (appliedUntil, ms) the real-time engine of a server has kept live segments' stored members
 * current, and when it last wrote them (recordedAt, ms); undefined when no server ever kept any.
 */
export async function liveWrittenUpTo(db: Queryable): Promise<{ appliedUntil: number; recordedAt: number } | undefined> {
  const row = await db.one<{ applied_until: number; recorded_at: number }>(
    'SELECT epoch_ms(applied_until) AS applied_until, epoch_ms(updated_at) AS recorded_at FROM realtime_watermark WHERE id = 1',
  );
  return row ? { appliedUntil: Number(row.applied_until), recordedAt: Number(row.recorded_at) } : undefined;
}

export async function memberIds(db: Queryable, segmentId: string): Promise<string[]> {
  const rows = await db.all<{ customer_id: string }>(
    'SELECT customer_id FROM segment_members WHERE segment_id = $1 ORDER BY customer_id',
    [segmentId],
  );
  return rows.map((r) => r.customer_id);
}

export interface HistoryRun {
  changed_at: Date;
  recorded_at: Date;
  entered: number;
  exited: number;
}

/** One line per refresh that changed something, newest first. */
export async function historyRuns(db: Queryable, segmentId: string, limit: number): Promise<HistoryRun[]> {
  return db.all<HistoryRun>(
    `SELECT changed_at, recorded_at,
       count(*) FILTER (WHERE change = 'entered') AS entered,
       count(*) FILTER (WHERE change = 'exited') AS exited
     FROM segment_history WHERE segment_id = $1
     GROUP BY changed_at, recorded_at ORDER BY recorded_at DESC, changed_at DESC LIMIT $2`,
    [segmentId, limit],
  );
}

export interface HistoryChange {
  customer_id: string;
  change: 'entered' | 'exited';
  changed_at: Date;
  recorded_at: Date;
}

/** Individual entries and exits, newest first, optionally of one person: a customer and the customers merged into it. */
export async function historyChanges(
  db: Queryable,
  segmentId: string,
  limit: number,
  customerId?: string,
): Promise<HistoryChange[]> {
  // One person's history: the customer's entries and those recorded, before a merge, under every
  // customer merged into it (they stay under their own ids: docs/identity.md), followed through chains.
  return db.all<HistoryChange>(
    `WITH RECURSIVE person(customer_id, depth) AS (
       SELECT $3::VARCHAR, 0 WHERE $3::VARCHAR IS NOT NULL
       UNION ALL
       SELECT c.customer_id, person.depth + 1 FROM person JOIN customers c ON c.merged_into = person.customer_id
       WHERE person.depth < 50
     )
     SELECT customer_id, change, changed_at, recorded_at FROM segment_history
     WHERE segment_id = $1 AND ($3::VARCHAR IS NULL OR customer_id IN (SELECT customer_id FROM person))
     ORDER BY recorded_at DESC, changed_at DESC, customer_id LIMIT $2`,
    [segmentId, limit, customerId ?? null],
  );
}

export async function isMember(db: Queryable, segmentId: string, customerId: string): Promise<boolean> {
  const row = await db.one<{ n: number }>(
    'SELECT count(*) AS n FROM segment_members WHERE segment_id = $1 AND customer_id = $2',
    [segmentId, customerId],
  );
  return (row?.n ?? 0) > 0;
}
