import { canonicalText } from '../../../domain/identifiers.js';
import type { Queryable } from '../../db.js';
import { jsonPath } from './customers.js';

export interface HistoryChangeRow {
  segment_id: string;
  segment: string;
  customer_id: string;
  change: 'entered' | 'exited';
  changed_at: Date;
  recorded_at: Date;
}

/** A place in segment_history, in the order changes are read: (recorded_at, segment_id, customer_id, change). */
export interface HistoryPosition {
  readonly recordedAt: Date;
  readonly segmentId: string;
  readonly customerId: string;
  readonly change: string;
}

/** Entries and exits after a position (keyset order), oldest first: one refresh's thousands of rows share a recorded_at. */
export async function segmentChangesAfter(db: Queryable, p: HistoryPosition, limit: number): Promise<HistoryChangeRow[]> {
  return db.all<HistoryChangeRow>(
    `SELECT h.segment_id, s.name AS segment, h.customer_id, h.change, h.changed_at, h.recorded_at
     FROM segment_history h JOIN segments s USING (segment_id)
     WHERE h.recorded_at > $1 OR (h.recorded_at = $1 AND (h.segment_id > $2 OR (h.segment_id = $2 AND
       (h.customer_id > $3 OR (h.customer_id = $3 AND h.change > $4)))))
     ORDER BY h.recorded_at, h.segment_id, h.customer_id, h.change LIMIT $5`,
    [p.recordedAt, p.segmentId, p.customerId, p.change, limit],
  );
}

export async function latestSegmentChange(db: Queryable): Promise<Date | null> {
  return (await db.one<{ t: Date | null }>('SELECT max(recorded_at) AS t FROM segment_history'))?.t ?? null;
}

export async function segmentExists(db: Queryable, name: string): Promise<boolean> {
  // Segment names are stored in NFC (checkSegmentName): so is the one looked up.
  return (await db.one('SELECT 1 AS x FROM segments WHERE name = $1', [canonicalText(name)])) !== undefined;
}

/** The current members of a segment (as of its last refresh). */
export async function segmentMemberIds(db: Queryable, name: string): Promise<string[]> {
  const rows = await db.all<{ customer_id: string }>(
    'SELECT m.customer_id FROM segment_members m JOIN segments s USING (segment_id) WHERE s.name = $1 ORDER BY m.customer_id',
    [canonicalText(name)],
  );
  return rows.map((r) => r.customer_id);
}

/**
 * Customers whose date trait (`birthday`, read as the YYYY-MM-DD at its start) falls on one of these
 * days: by month and day when yearly (`MM-DD`), else the whole date (`YYYY-MM-DD`).
 */
export async function customersWithTraitDate(db: Queryable, trait: string, days: readonly string[], yearly: boolean): Promise<{ customer_id: string; day: string }[]> {
  if (days.length === 0) return [];
  return db.all(
    `SELECT customer_id, day FROM (
       SELECT customer_id, strftime(try_cast(left(json_extract_string(traits, $1), 10) AS DATE), CASE WHEN $3 THEN '%m-%d' ELSE '%Y-%m-%d' END) AS day
       FROM customers WHERE merged_into IS NULL) t
     WHERE day IN (SELECT unnest($2::VARCHAR[])) ORDER BY customer_id`,
    [jsonPath(trait), days, yearly],
  );
}

/** Customers whose first event of this name happened in [from, to). */
export async function customersFirstEventBetween(db: Queryable, event: string, from: Date, to: Date): Promise<{ customer_id: string; first_at: Date }[]> {
  return db.all(
    `SELECT customer_id, min(timestamp) AS first_at FROM events
     WHERE event = $1 AND customer_id IS NOT NULL GROUP BY customer_id
     HAVING min(timestamp) >= $2 AND min(timestamp) < $3 ORDER BY customer_id`,
    [event, from, to],
  );
}
