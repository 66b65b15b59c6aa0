import type { Store } from '../../store/db.js';
import { findSegmentRecord } from '../../store/queries/segments/definitions.js';
import {
  historyChanges,
  historyRuns,
  listMembers,
  type HistoryChange,
  type HistoryRun,
  type MemberRow,
} from '../../store/queries/segments/members.js';
import { wholeNumberIn } from '../../domain/whole-number.js';
import { segmentNotFound } from './names.js';
import { membershipMoment, type LiveKeeping } from './membership-moment.js';
import { resolveCustomer } from '../../profiles/resolve-customer.js';

export { membershipMoment, type LiveKeeping, type MembershipMoment } from './membership-moment.js';

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

/** The most rows one page of members or history holds (`--limit`, `limit`): more is refused, not cut. */
export const SEGMENT_PAGE_MAX = 100_000;

function pageLimit(v: number | undefined, dflt: number): number {
  return wholeNumberIn(v ?? dflt, 'limit', 1, SEGMENT_PAGE_MAX);
}

