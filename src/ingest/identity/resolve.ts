import type { Queryable } from '../../store/db.js';
import {
  customerHeads,
  existingCustomerIds,
  findIdentities,
  insertCustomers,
  insertIdentities,
  insertMerges,
  moveSinceEarlier,
  repointAbsorbed,
} from '../../store/queries/identity.js';
import { noteIdentityWrite } from '../../store/queries/identity-writes.js';
import { refreshCustomerMetrics } from '../../store/queries/metrics.js';
import { suppressedSets } from '../../privacy/suppression.js';
import type { Identifier } from '../../domain/identifiers.js';
import type { IdentityMap } from './identity-map.js';
import { identifierKey, planResolution, usableIdentifiers, type IdentifierSet, type KnownCustomer, type ResolutionPlan } from './plan.js';
import { mergeTraitsInto } from './traits.js';

export type { IdentifierSet } from './plan.js';

/**
 * Per set, the surviving customer id (null when no usable identifier). Creates customers and
 * identities, merges the customers a set joins (each merge recorded in merges), and refuses merges that
 * would join two different user_ids (recorded with refused = true). Rules: docs/identity.md.
 *
 * Built for batches (an import's distinct identifier tuples, a request's events): one lookup of the
 * identifiers in question, resolution in memory, bulk writes. Run it inside the caller's transaction.
 */
export async function resolveIdentifierSets(tx: Queryable, sets: readonly IdentifierSet[]): Promise<(string | null)[]> {
  return (await resolveIdentifierSetsDetailed(tx, sets)).customers;
}

export interface Resolution {
  /** per set, the surviving customer id, or null */
  readonly customers: (string | null)[];
  /** customers that existed before and were merged away by this call → the customer now holding them */
  readonly absorbed: ReadonlyMap<string, string>;
  /** per set, true when it carries an erased person's identifier: it resolved to no one, drop its data */
  readonly suppressed: readonly boolean[];
}

/**
 * resolveIdentifierSets, also telling which existing customers were merged into which, and which sets
 * carry an erased person's identifier (docs/privacy.md): those create and join no one.
 *
 * With `identities`, what the store holds is read from that in-memory copy instead of the tables, and
 * the copy is brought up to date with what this call writes (IdentityMap says what its owner must do).
 */
export async function resolveIdentifierSetsDetailed(tx: Queryable, sets: readonly IdentifierSet[], identities?: IdentityMap): Promise<Resolution> {
  // Each set is normalised once, here: the suppression check, the lookup and the plan all read it.
  const usable = sets.map((s) => usableIdentifiers(s.identifiers));
  // With the map current and no erasure ever made (most shops), nothing can be suppressed: no statement.
  const none = identities !== undefined && (await identities.current(tx), !identities.anySuppression);
  const suppressed = none ? sets.map(() => false) : await suppressedSets(tx, usable);
  const kept = sets.filter((_, i) => !suppressed[i]);
  const r = await resolveKept(
    tx,
    kept,
    usable.filter((_, i) => !suppressed[i]),
    identities,
  );
  let k = 0;
  return { customers: sets.map((_, i) => (suppressed[i] ? null : (r.customers[k++] ?? null))), absorbed: r.absorbed, suppressed };
}

async function resolveKept(tx: Queryable, sets: readonly IdentifierSet[], usable: readonly (readonly Identifier[])[], map?: IdentityMap): Promise<Omit<Resolution, 'suppressed'>> {
  if (sets.length === 0) return { customers: [], absorbed: new Map() };
  const plan = await planAgainstStore(tx, sets, usable, map);
  if (plan.newCustomers.length > 0) await insertCustomers(tx, plan.newCustomers);
  if (plan.newIdentities.length > 0) await insertIdentities(tx, plan.newIdentities);
  if (plan.merges.length > 0) {
    await insertMerges(
      tx,
      plan.merges.map((m) => ({ ...m, kind: m.identifier.kind, value: m.identifier.value })),
    );
  }
  if (plan.absorbed.size > 0) {
    const last = sets.reduce((t, s) => (s.at > t ? s.at : t), sets[0]!.at);
    // Traits first: they are read from the absorbed rows before those are marked merged.
    await mergeTraitsInto(tx, plan.absorbed, last);
    await repointAbsorbed(tx, plan.absorbed, last);
    await refreshCustomerMetrics(tx, [...new Set(plan.absorbed.values())]);
  }
  if (plan.earlierSince.length > 0) await moveSinceEarlier(tx, plan.earlierSince);
  // created_at is part of what the identity map holds (it picks a merge's survivor), so an earlier
  // "since" counts as an identity write too.
  if (plan.newIdentities.length > 0 || plan.absorbed.size > 0 || plan.earlierSince.length > 0) noteIdentityWrite();
  map?.apply(plan);
  return { customers: plan.results, absorbed: plan.absorbed };
}

async function planAgainstStore(tx: Queryable, sets: readonly IdentifierSet[], usable: readonly (readonly Identifier[])[], map?: IdentityMap): Promise<ResolutionPlan> {
  const { identities, customers } = map ? (await map.current(tx), map.known(distinctKeys(usable).keys())) : await knownFromStore(tx, usable);
  const takenIds = new Set<string>();
  // New ids derive from identifiers; one may belong to a customer whose identities were moved or erased.
  // Rare, so plan optimistically and plan again with the collisions excluded.
  for (;;) {
    const plan = planResolution(sets, { identities, customers, takenIds }, usable);
    const clashes = await existingCustomerIds(tx, plan.newCustomers.map((c) => c.id));
    if (clashes.length === 0) return plan;
    for (const id of clashes) takenIds.add(id);
  }
}

/** Each distinct identifier of the sets, by its identifierKey. */
function distinctKeys(usable: readonly (readonly Identifier[])[]): Map<string, Identifier> {
  const out = new Map<string, Identifier>();
  for (const ids of usable) for (const id of ids) out.set(identifierKey(id), id);
  return out;
}

/** What the tables hold about these identifiers: their live holders, and those holders' heads. */
async function knownFromStore(
  tx: Queryable,
  usable: readonly (readonly Identifier[])[],
): Promise<{ identities: Map<string, string>; customers: Map<string, KnownCustomer> }> {
  const ids = [...distinctKeys(usable).values()];
  const identities = new Map<string, string>();
  for (const hit of await findIdentities(
    tx,
    ids.map((i) => i.kind),
    ids.map((i) => i.value),
  )) {
    identities.set(identifierKey({ kind: hit.kind, value: hit.value }), hit.customer_id);
  }
  const customers = new Map<string, KnownCustomer>();
  for (const h of await customerHeads(tx, [...new Set(identities.values())])) {
    customers.set(h.customer_id, { id: h.customer_id, createdAt: h.created_at, userId: h.user_id ?? undefined });
  }
  return { identities, customers };
}
