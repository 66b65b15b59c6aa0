import type { Queryable, Store } from '../../store/db.js';
import { findSegmentRecord, type SegmentRecord } from '../../store/queries/segments/definitions.js';
import {
  historyChanges,
  historyRuns,
  listMembers,
  liveWrittenUpTo,
  type HistoryChange,
  type HistoryRun,
  type MemberRow,
} from '../../store/queries/segments/members.js';
import { wholeNumberIn } from '../../domain/whole-number.js';
import { segmentNotFound } from './names.js';
import { currentRefusal } from './crud.js';
import { resolveCustomer } from '../../profiles/resolve-customer.js';

export interface SegmentHistory {
  name: string;
  /** One line per refresh that changed membership, newest first. */
  runs: HistoryRun[];
  /** Individual entries and exits, newest first (only when asked for, or for one customer). */
  changes: HistoryChange[];
}

export async function segmentHistory(
  db: Store,
  name: string,
  opts: { limit?: number; changes?: boolean; customer?: string } = {},
): Promise<SegmentHistory> {
  const rec = await findSegmentRecord(db, name);
  if (!rec) throw segmentNotFound(name);
  const limit = pageLimit(opts.limit, 50);
  const customerId = opts.customer === undefined ? undefined : await resolveCustomer(db, opts.customer);
  const wantChanges = opts.changes === true || customerId !== undefined;
  return {
    name,
    runs: customerId === undefined ? await historyRuns(db, rec.segment_id, limit) : [],
    changes: wantChanges ? await historyChanges(db, rec.segment_id, limit, customerId) : [],
  };
}

export interface SegmentMembers {
  name: string;
  total: number;
  /** the moment of the last refresh (a server marks the segments it kept live as refreshed when it starts and stops) */
  refreshedAsOf: Date | null;
  /**
   * What the list is: `live`, the members now, kept live by the running server; `server`, the members a
   * server kept live wrote last, current up to `asOf` (it stopped, or was killed, after that); `refresh`,
   * the last refresh, as of `asOf`; `none`, never refreshed nor kept live.
   */
  source: 'live' | 'server' | 'refresh' | 'none';
  /** the moment the list describes (for `live`, what the engine has applied up to, about now); null for `none` */
  asOf: Date | null;
  /** the last running server refused to keep the segment live: why, and when (the list is then the last refresh's) */
  notKeptLive?: { reason: string; at: Date };
  /** the definition changed at this moment, after the list was written: the list is the old definition's until a refresh */
  definitionChangedAt?: Date;
  members: MemberRow[];
}

/**
 * Whether a running server keeps the segment live: `kept` (its engine does), `not-kept` (a server runs,
 * its engine does not: a segment refused for real time, or no engine), `unknown` (no server is asked:
 * the store says who wrote the members last).
 */
export type LiveKeeping = 'kept' | 'not-kept' | 'unknown';

/**
 * Current members, a page at a time in customer id order, with what the list is (`source`, `asOf`:
 * membershipMoment) so its header agrees with its rows (trial 11, C4).
 */
export async function segmentMembers(db: Store, name: string, opts: { limit?: number; offset?: number; live?: LiveKeeping; now?: Date } = {}): Promise<SegmentMembers> {
  const rec = await findSegmentRecord(db, name);
  if (!rec) throw segmentNotFound(name);
  const limit = pageLimit(opts.limit, 1000);
  const offset = wholeNumberIn(opts.offset ?? 0, 'offset', 0);
  const members = await listMembers(db, rec.segment_id, limit, offset);
  const base = { name, total: rec.members, refreshedAsOf: rec.refreshed_as_of, members };
  return { ...base, ...(await membershipMoment(db, rec, opts.live ?? 'unknown', opts.now)) };
}

/**
 * What a segment's stored membership describes (SegmentMembers' `source` and `asOf`), for every reader of
 * the stored members (the members list, the fairness audit), so their headers agree with their rows: a
 * live segment's rows are written by the real-time engine at every change, and a bulk refresh's moment
 * says nothing of them. Without a server (`unknown`), the rows are the engine's when it wrote after the
 * last refresh (a server killed, or a segment created while it ran, leaves the refresh moment of its
 * start, or none): they are then current up to its watermark. A segment the last server refused to keep
 * live (recorded by the engine, migration 30) is never read as the engine's: its rows are the last
 * refresh's, and `notKeptLive` says why. When the definition changed after the rows were written (an
 * update with no server to re-evaluate it), `definitionChangedAt` says so: they are the old definition's.
 */
export async function membershipMoment(db: Queryable, rec: SegmentRecord, live: LiveKeeping, now?: Date): Promise<MembershipMoment> {
  const written = live === 'not-kept' ? undefined : await liveWrittenUpTo(db);
  if (live === 'kept') return { source: 'live', asOf: written ? new Date(written.appliedUntil) : (now ?? new Date()) };
  const refused = currentRefusal(rec);
  const refusal = refused ? { notKeptLive: refused } : {};
  const refreshed = rec.refreshed_at === null ? undefined : { at: rec.refreshed_at.getTime(), asOf: rec.refreshed_as_of };
  // The engine wrote last: after the last refresh ran, or marking the segment current itself (its stop).
  // A segment never refreshed was the engine's if it has rows (nothing else writes them) or existed when
  // the engine last wrote; one created after that, with no rows, is simply not refreshed yet. A segment
  // a server refused has not been written by the engine since (also when the refusal was of a definition
  // changed since: no server has accepted it since, which would have removed the record).
  const engineLast =
    written !== undefined &&
    rec.live_refused === null &&
    (refreshed === undefined
      ? rec.members > 0 || rec.created_at.getTime() <= written.recordedAt
      : written.recordedAt > refreshed.at || refreshed.asOf?.getTime() === written.appliedUntil) &&
    (refreshed?.asOf === null || refreshed?.asOf === undefined || written.appliedUntil >= refreshed.asOf.getTime());
  // The rows were written at `writtenAt`; a definition changed since then is not what they describe.
  const stale = (writtenAt: number): { definitionChangedAt?: Date } =>
    rec.definition_changed_at !== null && rec.definition_changed_at.getTime() > writtenAt ? { definitionChangedAt: rec.definition_changed_at } : {};
  if (engineLast) return { source: 'server', asOf: new Date(written.appliedUntil), ...refusal, ...stale(written.recordedAt) };
  if (rec.refreshed_as_of) return { source: 'refresh', asOf: rec.refreshed_as_of, ...refusal, ...stale(refreshed!.at) };
  return { source: 'none', asOf: null, ...refusal };
}

/** What the stored membership describes (membershipMoment). */
export type MembershipMoment = Pick<SegmentMembers, 'source' | 'asOf' | 'notKeptLive' | 'definitionChangedAt'>;

/** The most rows one page of members or history holds (`--limit`, `limit`): more is refused, not cut. */
export const SEGMENT_PAGE_MAX = 100_000;

function pageLimit(v: number | undefined, dflt: number): number {
  return wholeNumberIn(v ?? dflt, 'limit', 1, SEGMENT_PAGE_MAX);
}

