import type { Queryable } from '../../db.js';

export interface RegulationRow {
  regulation_id: string;
  status: string;
  requested_at: Date;
  requested_by: string;
  reason: string | null;
  identifiers: number;
  started_at: Date | null;
  finished_at: Date | null;
  customers_erased: number | null;
  identifiers_not_found: number | null;
  identifiers_already_erased: number | null;
  identifiers_suppressed: number | null;
  orders_anonymised: number | null;
  rows_deleted: string | null;
  file_rewritten: boolean | null;
  segments_mentioning: string | null;
  error: string | null;
}

const COLUMNS = `regulation_id, status, requested_at, requested_by, reason, identifiers, started_at, finished_at,
  customers_erased, identifiers_not_found, identifiers_already_erased, identifiers_suppressed, orders_anonymised, rows_deleted::VARCHAR AS rows_deleted,
  file_rewritten, segments_mentioning::VARCHAR AS segments_mentioning, error`;

export async function insertRegulation(
  db: Queryable,
  r: { id: string; requestedAt: Date; requestedBy: string; reason: string | null; identifiers: readonly string[] },
): Promise<void> {
  await db.run(
    `INSERT INTO regulations (regulation_id, status, requested_at, requested_by, reason, identifiers, pending_identifiers)
     VALUES ($1, 'pending', $2, $3, $4, $5, $6::JSON)`,
    [r.id, r.requestedAt, r.requestedBy, r.reason, r.identifiers.length, JSON.stringify(r.identifiers)],
  );
}

export function regulationById(db: Queryable, id: string): Promise<RegulationRow | undefined> {
  return db.one<RegulationRow>(`SELECT ${COLUMNS} FROM regulations WHERE regulation_id = $1`, [id]);
}

export function listRegulations(db: Queryable, limit: number): Promise<RegulationRow[]> {
  return db.all<RegulationRow>(`SELECT ${COLUMNS} FROM regulations ORDER BY requested_at DESC, regulation_id LIMIT $1`, [limit]);
}

/** Regulations not finished (pending, or interrupted while running), oldest first. */
export async function unfinishedRegulations(db: Queryable): Promise<string[]> {
  const rows = await db.all<{ id: string }>(
    "SELECT regulation_id AS id FROM regulations WHERE status IN ('pending', 'running') ORDER BY requested_at, regulation_id",
  );
  return rows.map((r) => r.id);
}

/** The identifiers a regulation still has to erase, or [] once its rows are deleted. */
export async function pendingIdentifiers(db: Queryable, id: string): Promise<string[]> {
  const row = await db.one<{ ids: string | null }>('SELECT pending_identifiers::VARCHAR AS ids FROM regulations WHERE regulation_id = $1', [id]);
  return row?.ids ? (JSON.parse(row.ids) as string[]) : [];
}

export async function markRegulationRunning(db: Queryable, id: string, at: Date): Promise<void> {
  await db.run("UPDATE regulations SET status = 'running', started_at = coalesce(started_at, $2) WHERE regulation_id = $1", [id, at]);
}

export interface ErasedCounts {
  customersErased: number;
  /** values that matched no live customer, those an earlier request erased included (the answer subtracts them) */
  identifiersNotFound: number;
  identifiersAlreadyErased: number;
  identifiersSuppressed: number;
  ordersAnonymised: number;
  rowsDeleted: Record<string, number>;
  segmentsMentioning: readonly string[];
}

/** Records what the deletion did and forgets the identifiers (same transaction as the deletion). */
export async function recordErased(db: Queryable, id: string, c: ErasedCounts): Promise<void> {
  await db.run(
    `UPDATE regulations SET customers_erased = $2, identifiers_not_found = $3, identifiers_already_erased = $4,
       identifiers_suppressed = $5, orders_anonymised = $6, rows_deleted = $7::JSON, segments_mentioning = $8::JSON,
       pending_identifiers = NULL
     WHERE regulation_id = $1`,
    [
      id,
      c.customersErased,
      c.identifiersNotFound,
      c.identifiersAlreadyErased,
      c.identifiersSuppressed,
      c.ordersAnonymised,
      JSON.stringify(c.rowsDeleted),
      JSON.stringify(c.segmentsMentioning),
    ],
  );
}

export async function markRegulationFinished(db: Queryable, id: string, fileRewritten: boolean, at: Date): Promise<void> {
  await db.run("UPDATE regulations SET status = 'finished', file_rewritten = $2, finished_at = $3 WHERE regulation_id = $1", [id, fileRewritten, at]);
}

/**
 * A failed regulation keeps no identifiers either (the request must be sent again), nor its reason when
 * the reason was refused for naming the person.
 */
export async function markRegulationFailed(db: Queryable, id: string, error: string, at: Date, dropReason: boolean): Promise<void> {
  await db.run(
    `UPDATE regulations SET status = 'failed', error = $2, finished_at = $3, pending_identifiers = NULL,
       reason = CASE WHEN $4 THEN NULL ELSE reason END
     WHERE regulation_id = $1`,
    [id, error, at, dropReason],
  );
}
