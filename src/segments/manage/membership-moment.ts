import type { Queryable } from '../../store/db.js';
import type { SegmentRecord } from '../../store/queries/segments/definitions.js';
import { liveWrittenUpTo } from '../../store/queries/segments/members.js';

/**
 * Whether a running server keeps the segment live: `kept` (its engine does), `not-kept` (a server runs,
 * its engine does not: a segment refused for real time, or no engine), `unknown` (no server is asked:
 * the store says who wrote the members last).
 */
export type LiveKeeping = 'kept' | 'not-kept' | 'unknown';

/**
 * What a segment's stored membership describes: `source` is `live` (the members now, kept live by the
 * running server), `server` (the members a server kept live wrote last, current up to `asOf`: it stopped,
 * or was killed, after that), `refresh` (the last refresh, as of `asOf`) or `none` (never refreshed nor
 * kept live; `asOf` null). `notKeptLive`: the last running server refused to keep it live, why and when.
 * `definitionChangedAt`: the definition changed at this moment, after the rows were written, so they are
 * the old definition's until a refresh.
 */
export interface MembershipMoment {
  source: 'live' | 'server' | 'refresh' | 'none';
  asOf: Date | null;
  notKeptLive?: { reason: string; at: Date };
  definitionChangedAt?: Date;
}

/** Up to when a server's engine kept live segments' rows current, and when it last wrote (ms); liveWrittenUpTo. */
export type LiveWritten = { appliedUntil: number; recordedAt: number } | undefined;

/**
 * The refusal a running server recorded for the segment's current definition (migration 30), if any: one
 * decided before the definition last changed was of the old definition and is not reported.
 */
export function currentRefusal(r: SegmentRecord): { reason: string; at: Date } | undefined {
  if (r.live_refused === null || r.live_refused_at === null) return undefined;
  if (r.definition_changed_at !== null && r.definition_changed_at > r.live_refused_at) return undefined;
  return { reason: r.live_refused, at: r.live_refused_at };
}

/**
 * What a segment's stored membership describes (MembershipMoment), for every reader of the stored members
 * and their count (`segments members|show|list`, GET /v1/segments…, the fairness audit, a customer's
 * segments not kept live), so their headers agree with their rows: a live segment's rows are written by the
 * real-time engine at every change, and a bulk refresh's moment says nothing of them. Reads the engine's
 * watermark row once (see momentOf).
 */
export async function membershipMoment(db: Queryable, rec: SegmentRecord, live: LiveKeeping, now?: Date): Promise<MembershipMoment> {
  return momentOf(rec, live, live === 'not-kept' ? undefined : await liveWrittenUpTo(db), now);
}

/**
 * membershipMoment with the engine's watermark row already read (`written`: liveWrittenUpTo; for a list
 * of segments, read once). Without a server (`unknown`), the rows are the engine's when it wrote after
 * the last refresh (a server killed, or a segment created while it ran, leaves the refresh moment of its
 * start, or none): they are then current up to its watermark. A segment the last server refused to keep
 * live (recorded by the engine, migration 30) is never read as the engine's: its rows are the last
 * refresh's, and `notKeptLive` says why. When the definition changed after the rows were written (an
 * update with no server to re-evaluate it), `definitionChangedAt` says so.
 */
export function momentOf(rec: SegmentRecord, live: LiveKeeping, written: LiveWritten, now?: Date): MembershipMoment {
  if (live === 'kept') return { source: 'live', asOf: written ? new Date(written.appliedUntil) : (now ?? new Date()) };
  if (live === 'not-kept') written = undefined;
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
  if (engineLast) return { source: 'server', asOf: new Date(written!.appliedUntil), ...refusal, ...stale(written!.recordedAt) };
  if (rec.refreshed_as_of) return { source: 'refresh', asOf: rec.refreshed_as_of, ...refusal, ...stale(refreshed!.at) };
  return { source: 'none', asOf: null, ...refusal };
}
