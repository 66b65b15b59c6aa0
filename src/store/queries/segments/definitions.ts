import type { Queryable } from '../../db.js';
import { canonicalText } from '../../../domain/identifiers.js';
import { textColumn } from '../identity-columns.js';
import { deleteLiveNotes } from './live-notes.js';
import { deleteSegmentMeasures } from '../measure/kpis.js';

/** A saved segment as stored. definition is the JSON AST, parsed; query_text is how it was written. */
export interface SegmentRecord {
  segment_id: string;
  name: string;
  definition: unknown;
  query_text: string | null;
  description: string | null;
  notes: string | null;
  created_at: Date;
  updated_at: Date;
  refreshed_at: Date | null;
  refreshed_as_of: Date | null;
  members: number;
  /** why the last running server refused to keep it live (migration 30), null when it did not */
  live_refused: string | null;
  live_refused_at: Date | null;
  /** when the definition last changed after its creation (migration 30), null when it never did */
  definition_changed_at: Date | null;
}

export interface SegmentWrite {
  name: string;
  definition: unknown;
  query_text: string | null;
  description: string | null;
  notes: string | null;
}

const SELECT = `SELECT s.segment_id, s.name, s.definition, s.query_text, s.description, s.notes,
    s.created_at, s.updated_at, s.refreshed_at, s.refreshed_as_of,
    (SELECT count(*) FROM segment_members m WHERE m.segment_id = s.segment_id) AS members,
    r.reason AS live_refused, r.decided_at AS live_refused_at, d.changed_at AS definition_changed_at
  FROM segments s
  LEFT JOIN segment_live_refusals r ON r.segment_id = s.segment_id
  LEFT JOIN segment_definition_changes d ON d.segment_id = s.segment_id`;

function decode(row: SegmentRecord): SegmentRecord {
  // DuckDB hands JSON columns back as text.
  if (typeof row.definition === 'string') row.definition = JSON.parse(row.definition) as unknown;
  return row;
}

export async function listSegmentRecords(db: Queryable): Promise<SegmentRecord[]> {
  const rows = await db.all<SegmentRecord>(`${SELECT} ORDER BY s.name`);
  return rows.map(decode);
}

/** The segment of that name, or undefined; the name is compared in NFC, the form names are saved in (checkSegmentName). */
export async function findSegmentRecord(db: Queryable, name: string): Promise<SegmentRecord | undefined> {
  const row = await db.one<SegmentRecord>(`${SELECT} WHERE s.name = $1`, [canonicalText(name)]);
  return row && decode(row);
}

export async function insertSegmentRecord(db: Queryable, id: string, s: SegmentWrite, now: Date): Promise<void> {
  await db.run(
    `INSERT INTO segments (segment_id, name, definition, query_text, description, notes, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
    [id, s.name, JSON.stringify(s.definition), s.query_text, s.description, s.notes, now],
  );
}

export async function updateSegmentRecord(db: Queryable, id: string, s: SegmentWrite, now: Date): Promise<void> {
  await db.run(
    `UPDATE segments SET name = $2, definition = $3, query_text = $4, description = $5, notes = $6, updated_at = $7
     WHERE segment_id = $1`,
    [id, s.name, JSON.stringify(s.definition), s.query_text, s.description, s.notes, now],
  );
}

/** Removes the segment with its members and history: a deleted segment leaves nothing behind. */
export async function deleteSegmentRecord(db: Queryable, id: string): Promise<void> {
  await db.run('DELETE FROM segment_history WHERE segment_id = $1', [id]);
  await db.run('DELETE FROM segment_members WHERE segment_id = $1', [id]);
  await db.run('DELETE FROM segments WHERE segment_id = $1', [id]);
  await deleteLiveNotes(db, id);
  await deleteSegmentMeasures(db, id);
}

export async function markSegmentRefreshed(db: Queryable, id: string, asOf: Date, now: Date): Promise<void> {
  await db.run('UPDATE segments SET refreshed_at = $2, refreshed_as_of = $3 WHERE segment_id = $1', [id, now, asOf]);
}

/**
 * Marks segments whose stored members the real-time engine has kept current as refreshed as of `asOf`
 * (its watermark), so that once the server stops, commands reading the stored membership see it as
 * what it is. A later bulk refresh is never moved back.
 */
export async function markSegmentsCurrent(db: Queryable, ids: readonly string[], asOf: Date, now: Date): Promise<void> {
  if (ids.length === 0) return;
  const list = textColumn(3, ids);
  await db.run(
    `UPDATE segments SET refreshed_at = $1, refreshed_as_of = $2
     WHERE segment_id IN (SELECT ${list.sql}) AND (refreshed_as_of IS NULL OR refreshed_as_of < $2)`,
    [now, asOf, list.param],
  );
}
