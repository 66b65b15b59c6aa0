import { momentOf } from '../../segments/manage/membership-moment.js';
import type { Store } from '../../store/db.js';
import { storedMembers } from '../../store/queries/realtime/record.js';
import { listSegmentRecords } from '../../store/queries/segments/definitions.js';
import type { RefusedSegment } from './model.js';

/**
 * A saved segment the engine does not keep live, for one customer: why (the refusal's reason), and what
 * the last bulk refresh stored for them. `stored` is null when no refresh of the current definition
 * stored anything to go by (never refreshed, or refreshed only before the definition last changed).
 */
export interface NotLiveSegment {
  readonly id: string;
  readonly name: string;
  readonly reason: string;
  readonly stored: {
    /** whether the customer was among the stored members */
    readonly member: boolean;
    /** when they entered, as stored (null when not a member) */
    readonly since: Date | null;
    /** the moment the stored members describe (the last refresh's as-of: membershipMoment) */
    readonly asOf: Date;
  } | null;
}

interface Loaded {
  /** per refused segment id: the moment its stored rows describe, or null (nothing to go by) */
  readonly asOf: ReadonlyMap<string, Date | null>;
  /** customer id → refused segment id → since (ms) */
  readonly members: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/**
 * The stored membership of the segments the engine refused to keep live, held in memory so that a
 * customer's segments (GET /v1/customers/{id}/segments) answer without a read per request. It is read in
 * one transaction on the first request after it was invalidated, and invalidated by the engine after any
 * step that can change those rows or the refused set: a start, a resync (a bulk refresh, an import, a
 * merge or an erasure through a command or the API, a definition change), and a live commit that merged
 * away a customer holding such rows (the store moves them to the survivor). Live commits without such a
 * merge and time alone never touch them, so the common case reads nothing. With no refused segment it
 * holds and reads nothing at all.
 */
export class NotLiveMembers {
  private epoch = 0;
  private loaded: { epoch: number; data: Loaded } | undefined;
  private loading: { epoch: number; promise: Promise<Loaded> } | undefined;

  /** `refused`: the engine's refused segments now (its committed model). */
  constructor(
    private readonly store: Store,
    private readonly refused: () => ReadonlyMap<string, RefusedSegment>,
  ) {}

  /** Forgets what is held: the next request reads the stored rows again. */
  invalidate(): void {
    this.epoch++;
    this.loaded = undefined;
    this.loading = undefined;
  }

  /**
   * After a commit that merged the given customers away: the held rows stay exact unless one of them held
   * some (then they moved to the survivor in the store). Unknown while nothing is held: invalidated.
   */
  merged(absorbed: Iterable<string>): void {
    const held = this.loaded?.data.members;
    if (!held) return this.invalidate();
    for (const id of absorbed) if (held.has(id)) return this.invalidate();
  }

  /** Every refused segment with the customer's stored membership in it, by name. */
  async of(customerId: string): Promise<NotLiveSegment[]> {
    const refused = [...this.refused().values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (refused.length === 0) return [];
    const data = await this.data();
    const mine = data.members.get(customerId);
    return refused.map((r) => {
      const asOf = data.asOf.get(r.segmentId) ?? null;
      const since = mine?.get(r.segmentId);
      return {
        id: r.segmentId,
        name: r.name,
        reason: r.reason,
        stored: asOf === null ? null : { member: since !== undefined, since: since === undefined ? null : new Date(since), asOf },
      };
    });
  }

  private data(): Promise<Loaded> {
    if (this.loaded?.epoch === this.epoch) return Promise.resolve(this.loaded.data);
    if (this.loading?.epoch === this.epoch) return this.loading.promise;
    const epoch = this.epoch;
    const promise = this.read().then((data) => {
      // Kept only if nothing invalidated it meanwhile; the answer itself is as fresh as the read.
      if (this.epoch === epoch) this.loaded = { epoch, data };
      if (this.loading?.epoch === epoch) this.loading = undefined;
      return data;
    });
    this.loading = { epoch, promise };
    promise.catch(() => {
      if (this.loading?.promise === promise) this.loading = undefined;
    });
    return promise;
  }

  private read(): Promise<Loaded> {
    return this.store.transaction(async (tx) => {
      const ids = new Set(this.refused().keys());
      const asOf = new Map<string, Date | null>();
      for (const rec of await listSegmentRecords(tx)) {
        if (!ids.has(rec.segment_id)) continue;
        // Refused: its rows are never the engine's; rows of a definition changed since say nothing of this one.
        const m = momentOf(rec, 'not-kept', undefined);
        asOf.set(rec.segment_id, m.source === 'refresh' && m.definitionChangedAt === undefined ? m.asOf : null);
      }
      const members = new Map<string, Map<string, number>>();
      const wanted = [...asOf].filter(([, at]) => at !== null).map(([id]) => id);
      for (const row of await storedMembers(tx, wanted)) {
        let m = members.get(row.customer_id);
        if (!m) members.set(row.customer_id, (m = new Map()));
        m.set(row.segment_id, Number(row.since));
      }
      return { asOf, members };
    });
  }
}
