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
  refreshedAsOf: Date | null;
  members: MemberRow[];
}

/** Current members (as of the last refresh), a page at a time in customer id order. */
export async function segmentMembers(db: Store, name: string, opts: { limit?: number; offset?: number } = {}): Promise<SegmentMembers> {
  const rec = await findSegmentRecord(db, name);
  if (!rec) throw segmentNotFound(name);
  const limit = pageLimit(opts.limit, 1000);
  const offset = wholeNumberIn(opts.offset ?? 0, 'offset', 0);
  return { name, total: rec.members, refreshedAsOf: rec.refreshed_as_of, members: await listMembers(db, rec.segment_id, limit, offset) };
}

/** The most rows one page of members or history holds (`--limit`, `limit`): more is refused, not cut. */
export const SEGMENT_PAGE_MAX = 100_000;

function pageLimit(v: number | undefined, dflt: number): number {
  return wholeNumberIn(v ?? dflt, 'limit', 1, SEGMENT_PAGE_MAX);
}

