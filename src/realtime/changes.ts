import { SegmintError } from '../domain/errors.js';
import { segmentNotFound } from '../segments/manage/names.js';
import type { Store } from '../store/db.js';
import { changesAfter, latestNamedChanges, latestSeq, namedChangesAfter, type NamedChangeRow } from '../store/queries/realtime/changes.js';
import { findSegmentRecord } from '../store/queries/segments/definitions.js';

/** One entry of a segment's change stream. cursor resumes the stream right after it. */
export interface StreamedChange {
  readonly cursor: string;
  readonly customerId: string;
  readonly change: 'entered' | 'exited';
  /** the instant the change came true */
  readonly at: Date;
  readonly recordedAt: Date;
}

/**
 * A cursor is the position in segment_history; opaque to clients, but plain digits. `where` names where
 * it came from in the error (the `after` parameter, or the Last-Event-ID header).
 */
export function parseCursor(raw: string | undefined, where = 'after'): number {
  if (raw === undefined || raw === '') return 0;
  if (!/^\d{1,18}$/.test(raw)) throw new SegmintError('cursor_invalid', `${where}: "${raw}" is not a cursor of this change stream (use the cursor of a change, or leave it out to start at the beginning).`, { [where]: raw });
  return Number(raw);
}

/**
 * A page of a segment's entries and exits after `after`, oldest first, and the cursor to continue
 * from (the last one's, or `after` itself when there is nothing new).
 */
export async function segmentChanges(store: Store, name: string, after: number, limit: number): Promise<{ segmentId: string; changes: StreamedChange[]; next: string }> {
  const seg = await findSegmentRecord(store, name);
  if (!seg) throw segmentNotFound(name);
  const rows = await changesAfter(store, seg.segment_id, after, limit);
  const changes = rows.map((r) => ({ cursor: String(r.seq), customerId: r.customer_id, change: r.change, at: r.changed_at, recordedAt: r.recorded_at }));
  return { segmentId: seg.segment_id, changes, next: changes.length > 0 ? changes[changes.length - 1]!.cursor : String(after) };
}

/** The segment's id and the cursor of its latest change ("0" when none): where a live watch starts. */
export async function latestCursor(store: Store, name: string): Promise<{ segmentId: string; cursor: string }> {
  const seg = await findSegmentRecord(store, name);
  if (!seg) throw segmentNotFound(name);
  return { segmentId: seg.segment_id, cursor: String(await latestSeq(store, seg.segment_id)) };
}

/** One entry of the change stream of every segment: a StreamedChange with its segment's name. */
export interface NamedChange extends StreamedChange {
  /** the segment's name; null when it has been deleted since */
  readonly segment: string | null;
}

/**
 * Entries and exits of every saved segment, or of the one named `segment`, oldest first: those after
 * the cursor `after`, or with `latest` the last `latest` ones recorded (where a live view starts). The
 * cursor to continue from is the last one's, or `after` (the latest position with `latest`) when there
 * is nothing. Errors: segment_not_found (404) for an unknown segment.
 */
export async function allChanges(
  store: Store,
  opts: { after?: number; latest?: number; limit: number; segment?: string },
): Promise<{ segmentId: string | undefined; changes: NamedChange[]; next: string }> {
  let segmentId: string | undefined;
  if (opts.segment !== undefined) {
    const seg = await findSegmentRecord(store, opts.segment);
    if (!seg) throw segmentNotFound(opts.segment);
    segmentId = seg.segment_id;
  }
  const rows = opts.latest !== undefined ? (await latestNamedChanges(store, opts.latest, segmentId)).reverse() : await namedChangesAfter(store, opts.after ?? 0, opts.limit, segmentId);
  const changes = rows.map(namedChange);
  const after = opts.latest !== undefined ? 0 : (opts.after ?? 0);
  return { segmentId, changes, next: changes.length > 0 ? changes[changes.length - 1]!.cursor : String(after) };
}

function namedChange(r: NamedChangeRow): NamedChange {
  return { cursor: String(r.seq), segment: r.segment, customerId: r.customer_id, change: r.change, at: r.changed_at, recordedAt: r.recorded_at };
}
