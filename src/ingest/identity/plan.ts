import { customerIdFor, normaliseIdentifier, type Identifier } from '../../domain/identifiers.js';

/** One observation of identifiers that belong to the same person (an event, a CSV row). */
export interface IdentifierSet {
  readonly identifiers: readonly Identifier[];
  readonly at: Date;
  readonly messageId?: string;
  readonly reason?: string;
}

/** A customer that already exists in the store, as far as resolution needs to know it. */
export interface KnownCustomer {
  readonly id: string;
  readonly createdAt: Date;
  readonly userId?: string;
}

/** What the store already knows about the identifiers of a batch. */
export interface KnownState {
  /** identifier key (see identifierKey) → the live customer that holds it */
  readonly identities: ReadonlyMap<string, string>;
  readonly customers: ReadonlyMap<string, KnownCustomer>;
  /** customer ids that exist in the store (live or merged) and so cannot be given to a new customer */
  readonly takenIds: ReadonlySet<string>;
}

export interface MergeRecord {
  readonly at: Date;
  readonly survivorId: string;
  readonly absorbedId: string;
  readonly reason: string;
  readonly identifier: Identifier;
  readonly refused: boolean;
  readonly messageId?: string;
}

export interface NewCustomer {
  readonly id: string;
  readonly createdAt: Date;
  /** the live customer it ended up in, when a later set of the same batch merged it away */
  readonly mergedInto?: string;
}

export interface NewIdentity extends Identifier {
  readonly customerId: string;
  readonly firstSeenAt: Date;
}

export interface ResolutionPlan {
  /** per input set, the live customer at the end of the batch, or null without a usable identifier */
  readonly results: (string | null)[];
  readonly newCustomers: NewCustomer[];
  readonly newIdentities: NewIdentity[];
  /** existing customers absorbed by this batch → the live customer that now holds them */
  readonly absorbed: Map<string, string>;
  readonly merges: MergeRecord[];
  /**
   * existing live customers known earlier than the store says: data of this batch older than their
   * created_at joined them, or a customer they absorbed was older; createdAt is the new, earlier time
   */
  readonly earlierSince: { readonly id: string; readonly createdAt: Date }[];
}

export function identifierKey(id: Identifier): string {
  return `${id.kind}\u0000${id.value}`;
}

interface Node {
  readonly id: string;
  /** the time of the earliest data of this customer and of those merged into it */
  createdAt: Date;
  /** for an existing customer, its created_at in the store */
  readonly stored: Date | undefined;
  readonly isNew: boolean;
  userId: string | undefined;
  parent: Node | undefined;
}

/**
 * Resolves a batch of identifier sets in memory with a union-find over customers. Sets are taken in
 * the order given, and each one sees the outcome of those before it, so a batch gives exactly what the
 * same sets resolved one call at a time would give (the property tests check this).
 *
 * Per set: the anchor is the customer of its first user_id; if that user_id is new, the first customer
 * of the set without a user_id (which takes it); without a user_id, the first customer found that holds
 * a user_id, else the first customer found; else a new customer. Every
 * other customer the set touches is merged with the anchor unless both hold different user_ids — then
 * the merge is refused and recorded, and the identifier stays where it was. The survivor of a merge is
 * the customer holding a user_id, else the older one, else the smaller id, so it never depends on which
 * side the event came from. A customer is as old as the earliest data of it and of the customers it
 * absorbed, so the survivor takes the earlier time of both.
 *
 * `usable`, when given, is usableIdentifiers of each set, already computed by the caller (resolve.ts
 * needs them before planning too): each set is normalised once.
 */
export function planResolution(sets: readonly IdentifierSet[], known: KnownState, usable?: readonly (readonly Identifier[])[]): ResolutionPlan {
  const nodes = new Map<string, Node>();
  const assigned = new Map<string, Node>();
  const newCustomers: Node[] = [];
  const newIdentities: { id: Identifier; node: Node; at: Date }[] = [];
  const merges: MergeRecord[] = [];
  const anchors: (Node | null)[] = [];

  const nodeFor = (customerId: string): Node => {
    let n = nodes.get(customerId);
    if (!n) {
      const c = known.customers.get(customerId);
      const createdAt = c?.createdAt ?? new Date(0);
      n = { id: customerId, createdAt, stored: createdAt, isNew: false, userId: c?.userId, parent: undefined };
      nodes.set(customerId, n);
    }
    return n;
  };
  const lookup = (key: string): Node | undefined => {
    const local = assigned.get(key);
    if (local) return find(local);
    const existing = known.identities.get(key);
    return existing === undefined ? undefined : find(nodeFor(existing));
  };
  const create = (first: Identifier, at: Date): Node => {
    let id = customerIdFor(first);
    // A merged-away customer keeps its row, and an erased identity frees its value: never reuse the id.
    for (let n = 1; known.takenIds.has(id) || nodes.has(id); n++) {
      id = customerIdFor({ kind: first.kind, value: `${first.value}\u0000${n}` });
    }
    const node: Node = { id, createdAt: at, stored: undefined, isNew: true, userId: undefined, parent: undefined };
    nodes.set(id, node);
    newCustomers.push(node);
    return node;
  };
  const assign = (id: Identifier, key: string, node: Node, at: Date): void => {
    assigned.set(key, node);
    newIdentities.push({ id, node, at });
    if (id.kind === 'user_id') node.userId = id.value;
  };

  for (let k = 0; k < sets.length; k++) {
    const set = sets[k]!;
    const ids = usable?.[k] ?? usableIdentifiers(set.identifiers);
    if (ids.length === 0) {
      anchors.push(null);
      continue;
    }
    const keys = ids.map(identifierKey);
    const found = keys.map(lookup);

    let anchor: Node | undefined;
    const firstUser = ids.findIndex((i) => i.kind === 'user_id');
    if (firstUser >= 0) {
      // A new user_id goes to a customer of the set that has none yet, rather than a fresh customer.
      anchor = found[firstUser] ?? found.find((n) => n !== undefined && n.userId === undefined);
    } else anchor = found.find((n) => n?.userId !== undefined) ?? found.find((n) => n !== undefined);
    if (!anchor) anchor = create(ids[Math.max(firstUser, 0)]!, set.at);

    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const a = find(anchor);
      // Looked up again: an earlier identifier of this set may have merged this one's customer already.
      const current = lookup(keys[i]!);
      if (!current) {
        if (id.kind === 'user_id' && a.userId !== undefined && a.userId !== id.value) {
          // A second, different user_id in one set: it is someone else, with a customer of its own.
          const other = create(id, set.at);
          assign(id, keys[i]!, other, set.at);
          recordMerge(merges, set, a, other, id, true);
        } else {
          assign(id, keys[i]!, a, set.at);
        }
        continue;
      }
      if (current === a) continue;
      if (a.userId !== undefined && current.userId !== undefined && a.userId !== current.userId) {
        recordMerge(merges, set, a, current, id, true);
        continue;
      }
      const [survivor, absorbed] = survivorFirst(a, current);
      absorbed.parent = survivor;
      survivor.userId = survivor.userId ?? absorbed.userId;
      if (absorbed.createdAt < survivor.createdAt) survivor.createdAt = absorbed.createdAt;
      recordMerge(merges, set, survivor, absorbed, id, false);
    }
    // A customer is known since its earliest data, also when that data arrives after later data.
    const root = find(anchor);
    if (set.at < root.createdAt) root.createdAt = set.at;
    anchors.push(anchor);
  }

  const absorbed = new Map<string, string>();
  for (const n of nodes.values()) {
    const root = find(n);
    if (!n.isNew && root !== n) absorbed.set(n.id, root.id);
  }
  return {
    results: anchors.map((a) => (a ? find(a).id : null)),
    newCustomers: newCustomers.map((n) => {
      const root = find(n);
      return root === n ? { id: n.id, createdAt: n.createdAt } : { id: n.id, createdAt: n.createdAt, mergedInto: root.id };
    }),
    newIdentities: newIdentities.map(({ id, node, at }) => ({ kind: id.kind, value: id.value, customerId: find(node).id, firstSeenAt: at })),
    absorbed,
    merges,
    earlierSince: [...nodes.values()].filter((n) => n.stored !== undefined && n.createdAt < n.stored && find(n) === n).map((n) => ({ id: n.id, createdAt: n.createdAt })),
  };
}

/** Normalised, junk removed, duplicates dropped, order kept. */
export function usableIdentifiers(raw: readonly Identifier[]): Identifier[] {
  const out: Identifier[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    const id = normaliseIdentifier(r.kind, r.value);
    if (!id) continue;
    const key = identifierKey(id);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(id);
  }
  return out;
}

// Not a closure per set: planning runs for every event ingested.
function recordMerge(merges: MergeRecord[], set: IdentifierSet, survivor: Node, absorbed: Node, identifier: Identifier, refused: boolean): void {
  merges.push({ at: set.at, survivorId: survivor.id, absorbedId: absorbed.id, reason: set.reason ?? 'shared identifier', identifier, refused, messageId: set.messageId });
}

function find(n: Node): Node {
  let root = n;
  while (root.parent) root = root.parent;
  // Path compression keeps long merge chains (one anonymous id after another) cheap.
  let cur = n;
  while (cur.parent && cur.parent !== root) {
    const next: Node = cur.parent;
    cur.parent = root;
    cur = next;
  }
  return root;
}

/** The customer holding a user_id survives; else the older one; else the smaller id. */
function survivorFirst(a: Node, b: Node): [Node, Node] {
  if ((a.userId === undefined) !== (b.userId === undefined)) return a.userId !== undefined ? [a, b] : [b, a];
  const ta = a.createdAt.getTime();
  const tb = b.createdAt.getTime();
  if (ta !== tb) return ta < tb ? [a, b] : [b, a];
  return a.id < b.id ? [a, b] : [b, a];
}
