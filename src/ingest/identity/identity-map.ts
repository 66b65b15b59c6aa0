import type { Identifier } from '../../domain/identifiers.js';
import type { Queryable } from '../../store/db.js';
import { forEachIdentityHolder } from '../../store/queries/identity-map.js';
import { hasSuppressions } from '../../store/queries/privacy/suppressions.js';
import { identityWriteCount } from '../../store/queries/identity-writes.js';
import { identifierKey, type KnownCustomer, type ResolutionPlan } from './plan.js';

/** A customer as the map knows it; `absorbedBy` is set once a merge made it part of another. */
interface Holder {
  readonly id: string;
  /** created_at, ms since the epoch (moves earlier when older data of the customer arrives) */
  createdAt: number;
  /** the smallest user_id value it holds (customerHeads' min), if any */
  userId: string | undefined;
  absorbedBy: Holder | undefined;
}

/**
 * An exact copy in memory of what identity resolution reads for each batch: which live customer holds
 * each identifier, and that customer's creation time and user_id (findIdentities and customerHeads of
 * store/queries/identity.ts). On a large shop those two reads scan the identities table (its key has
 * two columns, which DuckDB never uses for a lookup), which made them the largest cost of a live commit;
 * from memory they cost microseconds.
 *
 * Kept exact as follows. `current` reads the whole table when the map was never read, or when the
 * process's count of identity writes (store/queries/identity-writes.ts: imports, merges, erasures, demo
 * loads) moved since: so a write by any other path is picked up before the next resolution. A
 * resolution through the map applies its own plan (`apply`) and takes the count as its own. Whoever
 * resolves through the map must call `invalidate` when the transaction holding that resolution fails:
 * the map then holds what never committed (GroupCommitter does). Callers serialise their use of the map
 * (the committer resolves one commit at a time, under the store's connection).
 *
 * Memory: one entry per identity and one small object per customer holding identities (the bench
 * reports it: bench/realtime.ts).
 */
export class IdentityMap {
  /** identifierKey → the holder the row named when read or written; follow absorbedBy to the live one */
  private holders = new Map<string, Holder>();
  /** live customer id → holder */
  private customers = new Map<string, Holder>();
  /** identityWriteCount() the map reflects; -1: never read, or invalidated */
  private seen = -1;
  private reads = 0;
  /** whether the suppressions table had any row at the last read (erasures count as identity writes) */
  private suppressions = true;

  /** Reads the identities table again when the map is not known to equal it (see the class comment). */
  async current(db: Queryable): Promise<void> {
    const count = identityWriteCount();
    if (this.seen === count) return;
    const holders = new Map<string, Holder>();
    const customers = new Map<string, Holder>();
    await forEachIdentityHolder(db, (kind, value, customerId, createdMs) => {
      let h = customers.get(customerId);
      if (!h) customers.set(customerId, (h = { id: customerId, createdAt: createdMs, userId: undefined, absorbedBy: undefined }));
      holders.set(identifierKey({ kind, value }), h);
      if (kind === 'user_id' && (h.userId === undefined || value < h.userId)) h.userId = value;
    });
    this.suppressions = await hasSuppressions(db);
    this.holders = holders;
    this.customers = customers;
    this.seen = count;
    this.reads++;
  }

  /** Forgets what the map holds: the next `current` reads the table again. */
  invalidate(): void {
    this.seen = -1;
  }

  /** Whether the map is known to equal the table now, with no read needed. */
  isCurrent(): boolean {
    return this.seen !== -1 && this.seen === identityWriteCount();
  }

  /**
   * Whether anyone was ever erased (the suppressions table has a row), as of the last read: only an
   * erasure adds suppressions, and it counts as an identity write, so while the map is current (call
   * `current` first) false means that no identifier can be suppressed and the check may be skipped.
   */
  get anySuppression(): boolean {
    return this.suppressions;
  }

  /** How many times the table was read whole (for tests and the bench). */
  get tableReads(): number {
    return this.reads;
  }

  /** Number of identities held. */
  get size(): number {
    return this.holders.size;
  }

  /**
   * What resolution needs to know of these identifier keys (see KnownState): the live holder of each
   * key that exists, and those holders' creation times and user_ids.
   */
  known(keys: Iterable<string>): { identities: Map<string, string>; customers: Map<string, KnownCustomer> } {
    const identities = new Map<string, string>();
    const customers = new Map<string, KnownCustomer>();
    for (const key of keys) {
      const h = this.holderOf(key);
      if (!h) continue;
      identities.set(key, h.id);
      if (!customers.has(h.id)) customers.set(h.id, { id: h.id, createdAt: new Date(h.createdAt), userId: h.userId });
    }
    return { identities, customers };
  }

  /** Whether this exact identifier is held by someone (as `kind = … AND value = …` in the table). */
  has(id: Identifier): boolean {
    return this.holders.has(identifierKey(id));
  }

  /**
   * Applies what a resolution wrote (resolve.ts writes exactly this plan): new customers and their
   * identities, and merges (every identity of an absorbed customer now belongs to its survivor). Takes
   * the process's identity-write count as its own: call it after the plan's statements, inside the
   * same transaction.
   */
  apply(plan: ResolutionPlan): void {
    for (const c of plan.newCustomers) {
      // One merged away within the same batch holds no identity: nothing to keep.
      if (c.mergedInto === undefined) this.customers.set(c.id, { id: c.id, createdAt: c.createdAt.getTime(), userId: undefined, absorbedBy: undefined });
    }
    for (const [absorbed, survivor] of plan.absorbed) {
      const a = this.customers.get(absorbed);
      const s = this.customers.get(survivor);
      if (!a || !s) {
        // Not a customer the map holds identities of: cannot happen when the map equals the table.
        this.invalidate();
        return;
      }
      a.absorbedBy = s;
      if (a.userId !== undefined && (s.userId === undefined || a.userId < s.userId)) s.userId = a.userId;
      this.customers.delete(absorbed);
    }
    for (const e of plan.earlierSince) {
      const h = this.customers.get(e.id);
      if (h && e.createdAt.getTime() < h.createdAt) h.createdAt = e.createdAt.getTime();
    }
    for (const n of plan.newIdentities) {
      const h = this.customers.get(n.customerId);
      if (!h) {
        this.invalidate();
        return;
      }
      this.holders.set(identifierKey(n), h);
      if (n.kind === 'user_id' && (h.userId === undefined || n.value < h.userId)) h.userId = n.value;
    }
    if (this.seen !== -1) this.seen = identityWriteCount();
  }

  /**
   * Every identity with its live holder, sorted by kind then value, and each live holder's creation
   * time and user_id: for tests, to compare with the table.
   */
  rows(): { identities: { kind: string; value: string; customer_id: string }[]; customers: { customer_id: string; created_at: number; user_id: string | null }[] } {
    const identities = [...this.holders.keys()].map((key) => {
      const sep = key.indexOf('\u0000');
      return { kind: key.slice(0, sep), value: key.slice(sep + 1), customer_id: this.holderOf(key)!.id };
    });
    identities.sort((x, y) => (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
    const live = new Set(identities.map((i) => i.customer_id));
    const customers = [...live].sort().map((id) => {
      const h = this.customers.get(id)!;
      return { customer_id: id, created_at: h.createdAt, user_id: h.userId ?? null };
    });
    return { identities, customers };
  }

  /** The live holder of a key: follows merges, shortening the path for the next lookup. */
  private holderOf(key: string): Holder | undefined {
    const first = this.holders.get(key);
    if (!first?.absorbedBy) return first;
    let root = first;
    while (root.absorbedBy) root = root.absorbedBy;
    this.holders.set(key, root);
    return root;
  }
}
