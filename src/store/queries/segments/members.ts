import type { Queryable } from '../../db.js';

export interface MembershipDiff {
  entered: number;
  exited: number;
  members: number;
}

/**
 * Makes segment_members of one segment equal to segment_staged, recording only the changes in
 * segment_history: an entry for each staged customer not yet a member, an exit for each member no
 * longer staged. changed_at is the as_of of the evaluation; recorded_at is when it ran. When nothing
 * changed, nothing is written.
 */
export async function applyStagedMembers(tx: Queryable, segmentId: string, asOf: Date, now: Date): Promise<MembershipDiff> {
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE segment_entered AS
       SELECT customer_id FROM segment_staged
       EXCEPT SELECT customer_id FROM segment_members WHERE segment_id = $1`,
    [segmentId],
  );
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE segment_exited AS
       SELECT customer_id FROM segment_members WHERE segment_id = $1
       EXCEPT SELECT customer_id FROM segment_staged`,
    [segmentId],
  );
  const row = (await tx.one<{ entered: number; exited: number; members: number }>(
    `SELECT (SELECT count(*) FROM segment_entered) AS entered, (SELECT count(*) FROM segment_exited) AS exited,
       (SELECT count(*) FROM segment_members WHERE segment_id = $1) AS members`,
    [segmentId],
  ))!;
  if (row.entered + row.exited > 0) {
    await tx.run(
      `INSERT INTO segment_history (segment_id, customer_id, change, changed_at, recorded_at)
         SELECT $1, customer_id, 'entered', $2, $3 FROM segment_entered
         UNION ALL
         SELECT $1, customer_id, 'exited', $2, $3 FROM segment_exited`,
      [segmentId, asOf, now],
    );
  }
  if (row.exited > 0) {
    await tx.run(
      `DELETE FROM segment_members WHERE segment_id = $1 AND customer_id IN (SELECT customer_id FROM segment_exited)`,
      [segmentId],
    );
  }
  if (row.entered > 0) {
    await tx.run(
      `INSERT INTO segment_members (segment_id, customer_id, since) SELECT $1, customer_id, $2 FROM segment_entered`,
      [segmentId, asOf],
    );
  }
  return { entered: row.entered, exited: row.exited, members: row.members - row.exited + row.entered };
}

/** Frees the working tables of a refresh run (they are per connection and replaced on the next run). */
export async function dropRefreshTables(tx: Queryable): Promise<void> {
  for (const t of ['segment_staged', 'segment_entered', 'segment_exited']) await tx.run(`DROP TABLE IF EXISTS ${t}`);
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

/** Individual entries and exits, newest first, optionally of one customer. */
export async function historyChanges(
  db: Queryable,
  segmentId: string,
  limit: number,
  customerId?: string,
): Promise<HistoryChange[]> {
  return db.all<HistoryChange>(
    `SELECT customer_id, change, changed_at, recorded_at FROM segment_history
     WHERE segment_id = $1 AND ($3::VARCHAR IS NULL OR customer_id = $3)
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
